import type { FastifyInstance } from 'fastify';
import { createServiceApp, type ServiceAppOptions } from '@relabel/platform';
import { labelerContextPlugin } from './plugins/labeler-context.plugin';
import { humanLoopOutputWorkerPlugin } from './workers/human-loop-output.worker';
import { humanLoopsRoutes } from './routes/human-loops.routes';
import { ingestionRoutes } from './routes/ingestion.routes';
import { labelsRoutes } from './routes/labels.routes';
import { reviewRoutes } from './routes/review.routes';
import { reviewPageRoutes } from './routes/review-page.routes';

export type LabelerAppOptions = ServiceAppOptions;

/** Composes the labeler: platform first, then its capabilities, worker and routes. */
export async function buildApp(opts: LabelerAppOptions): Promise<FastifyInstance> {
  const app = await createServiceApp('labeler', opts);
  await app.register(labelerContextPlugin);
  await app.register(humanLoopOutputWorkerPlugin);
  await app.register(reviewPageRoutes);
  await app.register(reviewRoutes);
  await app.register(humanLoopsRoutes);
  await app.register(labelsRoutes);
  await app.register(ingestionRoutes);
  return app;
}
