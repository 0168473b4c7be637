import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { ObjectCreated } from '@relabel/contracts';
import type { Logger } from '@relabel/ports';
import type { ObjectEventQueue } from '../queues/typed-queue';
import { Reconciler, ReconcileReason, ReconcileTask } from '../reconcile/reconciler';
import { watchRedisReset } from '../reconcile/redis-reset-watch';
import { requeueObjectCreated, RequeueOutcome } from '../reconcile/requeue';

/** How often the marker that reveals an emptied Redis is looked for (one EXISTS). */
const REDIS_RESET_CHECK_MS = 5000;

declare module 'fastify' {
  interface FastifyInstance {
    /** rebuilds pending work from the object store: tasks run at start, after Redis was emptied or reconnected, and on a slow sweep */
    reconcile: {
      add(name: string, task: ReconcileTask): void;
      trigger(reason: ReconcileReason): Promise<void>;
      /** re-enqueues the object-created job of an object that has no outcome yet (same job id as the inbox's) */
      requeue(queue: ObjectEventQueue, event: ObjectCreated): Promise<RequeueOutcome>;
    };
  }
}

export interface ReconcilePluginOptions {
  /** names the marker key, so every service notices an emptied Redis on its own */
  service: string;
}

/** The reconcile tasks and the watch that triggers them when Redis lost its work; started last, stopped first. */
async function registerReconcile(app: FastifyInstance, opts: ReconcilePluginOptions): Promise<void> {
  const { config } = app;
  const logger = app.log as unknown as Logger;
  const reconciler = new Reconciler(logger.child({ component: 'reconcile' }), {
    intervalMs: config.reconcile.intervalMs,
    deferMs: Math.max(config.reconcile.graceMs, 1000),
  });
  const resetWatch = watchRedisReset(app.redis, logger, {
    key: `${config.keyPrefix}:platform:alive:${opts.service}`,
    checkEveryMs: REDIS_RESET_CHECK_MS,
    onReset: (reason) => void reconciler.trigger(reason),
  });
  app.decorate('reconcile', {
    add: (name, task) => reconciler.add(name, task),
    trigger: (reason) => reconciler.trigger(reason),
    requeue: (queue, event) => requeueObjectCreated(app.queues.get(queue).queue, event),
  } satisfies FastifyInstance['reconcile']);
  app.addHook('onReady', async () => {
    await resetWatch.start();
    // Not awaited: a big bucket must not hold the service back from listening.
    void reconciler.start();
  });
  app.addHook('onClose', async () => {
    resetWatch.stop();
    await reconciler.stop();
  });
}

export const reconcilePlugin = fp(registerReconcile, { name: 'relabel-reconcile', fastify: '5.x', dependencies: ['relabel-redis', 'relabel-queues'] });
