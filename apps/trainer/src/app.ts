import type { FastifyInstance } from 'fastify';
import { createServiceApp, type ServiceAppOptions } from '@relabel/platform';
import { trainerCapability } from './plugins/trainer.plugin';
import { modelsRoutes } from './routes/models.routes';
import { trainingsRoutes } from './routes/trainings.routes';
import type { TrainerTiming } from './use-cases/trainer-deps';
import { registerTrainingWorker } from './workers/training.worker';

export interface TrainerAppOptions extends ServiceAppOptions {
  /** poll delays and timeouts (tests shorten them) */
  timing?: Partial<TrainerTiming>;
}

/** The trainer: platform first, then the trainer capability, its routes and the training worker. */
export async function buildApp(opts: TrainerAppOptions): Promise<FastifyInstance> {
  const app = await createServiceApp('trainer', opts);
  await app.register(trainerCapability, { timing: opts.timing });
  await app.register(trainingsRoutes);
  await app.register(modelsRoutes);
  registerTrainingWorker(app);
  return app;
}
