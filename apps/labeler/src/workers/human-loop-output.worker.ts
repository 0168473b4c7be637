import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { Counter } from 'prom-client';
import { PREFIX, QUEUES } from '@relabel/contracts';
import { ingestHumanLoopOutput, IngestionRejected } from '../use-cases/ingest-human-loop-output.use-case';

/**
 * Hosts the inbox for finished human loops and ingests each output.json (flow D). Rejections are
 * recorded by the use case and fail the job permanently; store/Redis hiccups are retried.
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

  app.startInbox({ name: 'labeler', prefixes: [PREFIX.humanLoopData], queue: QUEUES.humanLoopOutput });
  app.workers.register(QUEUES.humanLoopOutput, {
    'object-created': async (event) => {
      try {
        const result = await ingestHumanLoopOutput(deps, event);
        ingested.inc({ outcome: result.outcome });
        if (result.outcome !== 'ignored') app.log.info({ ...result }, 'human loop output ingested');
        return result;
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
