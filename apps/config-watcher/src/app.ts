import type { FastifyInstance } from 'fastify';
import { createServiceApp, type ServiceAppOptions } from '@relabel/platform';
import { parameterAuthorityPlugin } from './plugins/parameter-authority.plugin';
import { accountsRoutes } from './routes/accounts.routes';
import { parametersRoutes } from './routes/parameters.routes';
import { statusRoutes } from './routes/status.routes';

export type ConfigWatcherAppOptions = ServiceAppOptions;

/** Composes config-watcher: platform first, then the parameter authority, then the operator and admin routes. */
export async function buildApp(opts: ConfigWatcherAppOptions): Promise<FastifyInstance> {
  const app = await createServiceApp('config-watcher', opts);
  await app.register(parameterAuthorityPlugin);
  await app.register(parametersRoutes);
  await app.register(statusRoutes);
  await app.register(accountsRoutes);
  return app;
}
