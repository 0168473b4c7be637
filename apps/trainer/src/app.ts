import type { FastifyInstance } from 'fastify';
import { createFastify, platformPlugin, type BuildAppOptions, type ProviderOverrides } from '@relabel/platform';
import { trainerCapability } from './plugins/trainer.plugin';
import { modelsRoutes } from './routes/models.routes';
import { trainingsRoutes } from './routes/trainings.routes';
import type { TrainerTiming } from './use-cases/trainer-deps';
import { registerTrainingWorker } from './workers/training.worker';

export interface TrainerAppOptions extends BuildAppOptions {
  /** replace some providers (tests, benches); the rest come from the profile */
  providers?: ProviderOverrides;
  /** poll delays and timeouts (tests shorten them) */
  timing?: Partial<TrainerTiming>;
}

/** The trainer: platform first, then the trainer capability, its routes and the training worker. */
export async function buildApp(opts: TrainerAppOptions): Promise<FastifyInstance> {
  const app = createFastify({ config: opts.config, logger: opts.logger });
  await app.register(platformPlugin, { service: 'trainer', config: opts.config, providers: opts.providers });
  await app.register(trainerCapability, { timing: opts.timing });
  await app.register(trainingsRoutes);
  await app.register(modelsRoutes);
  registerTrainingWorker(app);
  return app;
}
