import type { FastifyInstance } from 'fastify';
import { BuildAppOptions, createFastify, platformPlugin, ProviderOverrides } from '@relabel/platform';
import { parameterAuthorityPlugin } from './plugins/parameter-authority.plugin';
import { parametersRoutes } from './routes/parameters.routes';
import { statusRoutes } from './routes/status.routes';

export interface ConfigWatcherAppOptions extends BuildAppOptions {
  /** replace some providers (tests); the rest come from the profile */
  providers?: ProviderOverrides;
}

/** Composes config-watcher: platform first, then the parameter authority, then the admin routes. */
export async function buildApp(opts: ConfigWatcherAppOptions): Promise<FastifyInstance> {
  const app = createFastify({ config: opts.config, logger: opts.logger });
  await app.register(platformPlugin, { service: 'config-watcher', config: opts.config, providers: opts.providers });
  await app.register(parameterAuthorityPlugin);
  await app.register(parametersRoutes);
  await app.register(statusRoutes);
  return app;
}
