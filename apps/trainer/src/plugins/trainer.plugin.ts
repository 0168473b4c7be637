import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { MODEL_ACTIVATED_CHANNEL, QUEUES } from '@relabel/contracts';
import type { Logger } from '@relabel/ports';
import { withProviderGetters } from '@relabel/platform';
import { trainerMetrics } from '../infra/trainer-metrics';
import { bullPollScheduler } from '../infra/poll-scheduler';
import { RunRecords } from '../infra/run-records.repository';
import { bullTrainingJobs } from '../infra/training-jobs';
import { RedisTrainingLock } from '../infra/training-lock';
import { reconcilePollSchedule } from '../use-cases/reconcile-poll-schedule.use-case';
import { reconcileTraining } from '../use-cases/reconcile-training.use-case';
import { DEFAULT_TIMING, TrainerDeps, TrainerTiming } from '../use-cases/trainer-deps';

const SCHEDULE_RECHECK_MS = 60_000;

declare module 'fastify' {
  interface FastifyInstance {
    trainer: TrainerDeps;
  }
}

export interface TrainerPluginOptions {
  timing?: Partial<TrainerTiming>;
}

/**
 * The trainer capability: the use cases' dependencies bound to the platform (providers read lazily),
 * and the repeatable poll kept in step with the parameters — at start and on every change.
 */
async function trainerPlugin(app: FastifyInstance, opts: TrainerPluginOptions): Promise<void> {
  const logger = (app.log as unknown as Logger).child({ component: 'trainer' });
  const timing = { ...DEFAULT_TIMING, ...opts.timing };
  const queue = app.queues.get(QUEUES.training);
  let records: RunRecords | undefined;
  const runs = () => (records ??= new RunRecords(app.providers.objectStore));
  const deps: TrainerDeps = withProviderGetters(app.providers, { store: 'objectStore', models: 'modelService', state: 'operationalState', notifier: 'notifier' }, {
    get runs() {
      return runs();
    },
    lock: new RedisTrainingLock(app.redis, `${app.config.keyPrefix}:trainer:slot`, timing.lockTtlMs),
    jobs: bullTrainingJobs(queue),
    parameters: () => app.parameters.current(),
    publishActivated: (message) => app.publish(MODEL_ACTIVATED_CHANNEL, message),
    observeRun: trainerMetrics(app.metrics.registry),
    clock: () => new Date(),
    timing,
    logger,
  });
  app.decorate('trainer', deps);

  const scheduler = bullPollScheduler(queue);
  // Changes are applied one after another, so a quick enable → disable cannot end enabled.
  let reconciling: Promise<unknown> = Promise.resolve();
  const reconcile = () => {
    reconciling = reconciling
      .then(() => reconcilePollSchedule({ scheduler, clock: deps.clock }, app.parameters.current()))
      .then((change) => change !== 'unchanged' && change !== 'absent' && logger.info({ change, params: pollParams(app) }, 'training poll schedule updated'))
      .catch((err: Error) => logger.error({ err: err.message }, 'could not update the training poll schedule'));
    return reconciling;
  };
  app.parameters.onChange((_next, names) => {
    if (names.includes('Enable-Automatic-Training') || names.includes('Automatic-Training-Poll-Frequency')) void reconcile();
  });
  // Also re-checked now and then: a flushed or restarted Redis loses the scheduler with everything else.
  let timer: NodeJS.Timeout | undefined;
  // A run whose queued step Redis lost is resumed from its durable record (platform reconcile triggers).
  app.reconcile.add('training-runs', async (reason) => {
    if (reason === 'redis-reset' || reason === 'reconnect') await reconcile();
    return reconcileTraining(deps);
  });
  app.addHook('onReady', async () => {
    await reconcile();
    timer = setInterval(() => void reconcile(), SCHEDULE_RECHECK_MS);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await reconciling;
  });
}

function pollParams(app: FastifyInstance) {
  const p = app.parameters.current();
  return { enabled: p['Enable-Automatic-Training'], minutes: p['Automatic-Training-Poll-Frequency'] };
}

export const trainerCapability = fp(trainerPlugin, { name: 'relabel-trainer', dependencies: ['relabel-platform'] });
