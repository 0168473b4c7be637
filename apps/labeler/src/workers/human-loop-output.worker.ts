import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { Counter } from 'prom-client';
import { PREFIX, QUEUES } from '@relabel/contracts';
import type { Logger } from '@relabel/ports';
import { createRedisDriftAlarmGuard } from '../infra/redis-drift-alarm-guard';
import { ingestHumanLoopOutput, IngestionRejected } from '../use-cases/ingest-human-loop-output.use-case';
import { recordAudit, RecordAuditDeps } from '../use-cases/record-audit.use-case';
import { reconcileOutputs } from '../use-cases/reconcile-outputs.use-case';

/**
 * Hosts the inbox for finished human loops, ingests each output.json (flow D) and reconciles the
 * ones whose jobs Redis lost; an answered audit then becomes a live-accuracy observation (both
 * idempotent, so a retry repeats them harmlessly). Rejections are recorded by the use case and fail
 * the job permanently; store/Redis hiccups are retried.
 */
async function humanLoopOutputWorker(app: FastifyInstance): Promise<void> {
  const ingested = new Counter({
    name: 'relabel_labeler_outputs_ingested_total',
    help: 'human loop outputs ingested, by outcome',
    labelNames: ['outcome'],
    registers: [app.metrics.registry],
  });
  const deps = {
    store: app.providers.objectStore,
    humanReview: app.providers.humanReview,
    knownLabels: async () => new Set((await app.labeler.categories.get()).labels.map((c) => c.name)),
    log: app.labeler.ingestionLog,
  };
  const auditDeps: RecordAuditDeps = {
    store: app.providers.objectStore,
    humanReview: app.providers.humanReview,
    notifier: app.providers.notifier,
    guard: createRedisDriftAlarmGuard(app.redis, app.config.keyPrefix),
    minimumF1Score: () => app.parameters.current()['Minimum-F1-Score'],
    logger: app.log as unknown as Logger,
  };

  app.startInbox({ name: 'labeler', prefixes: [PREFIX.humanLoopData], queue: QUEUES.humanLoopOutput });
  // Outputs whose jobs Redis lost (flush, failover) are found in the bucket again.
  app.reconcile.add('human-loop-outputs', () =>
    reconcileOutputs({
      store: app.providers.objectStore,
      log: app.labeler.ingestionLog,
      requeue: (event) => app.reconcile.requeue(QUEUES.humanLoopOutput, event),
      graceMs: app.config.reconcile.graceMs,
    }),
  );
  app.workers.register(QUEUES.humanLoopOutput, {
    'object-created': async (event) => {
      try {
        const result = await ingestHumanLoopOutput(deps, event);
        ingested.inc({ outcome: result.outcome });
        if (result.outcome === 'ignored') return result;
        app.log.info({ ...result }, 'human loop output ingested');
        if (!result.loopName || !result.label) return result;
        const audit = await recordAudit(auditDeps, { loopName: result.loopName, label: result.label });
        if (audit.audit) app.log.info({ loop: result.loopName, version: audit.version, hit: audit.hit, driftAlarm: audit.driftAlarm }, 'audit recorded');
        return { ...result, audit: audit.audit ? { version: audit.version, hit: audit.hit, driftAlarm: audit.driftAlarm } : null };
      } catch (err) {
        ingested.inc({ outcome: err instanceof IngestionRejected ? 'rejected' : 'error' });
        throw err;
      }
    },
  });
}

export const humanLoopOutputWorkerPlugin = fp(humanLoopOutputWorker, {
  name: 'relabel-human-loop-output-worker',
  dependencies: ['relabel-platform', 'relabel-labeler-context'],
});
