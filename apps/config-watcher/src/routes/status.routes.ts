import type { RelabelApp } from '@relabel/platform';
import { bullmqQueueInspector } from '../infra/bullmq-queue-inspector';
import { getStatus } from '../use-cases/get-status.use-case';
import { StatusSchema } from './schemas';
import { ErrorSchema } from '@relabel/contracts';

/** `GET /status` (admin token; apps/config-watcher/README.md). */
export async function statusRoutes(app: RelabelApp): Promise<void> {
  const queues = bullmqQueueInspector(app);
  app.get('/status', {
    preHandler: app.requireOperator,
    schema: {
      tags: ['status'],
      summary: 'Active model, versions in flight, untrained images, pending reviews, queues, recent errors, ignored parameter values',
      response: { 200: StatusSchema, 401: ErrorSchema },
    },
  }, async () =>
    getStatus({
      objectStore: app.providers.objectStore,
      operationalState: app.providers.operationalState,
      humanReview: app.providers.humanReview,
      queues,
      ...app.authority,
    }),
  );
}
