import type { FastifyInstance } from 'fastify';
import type { ServiceName } from '../config/config.schema';
import { authPlugin } from '../auth/auth.plugin';
import { platformPlugin } from '../http/platform.plugin';
import type { ProviderOverrides } from '../providers/providers';
import { createFastify } from './create-fastify';
import type { BuildAppOptions } from './run-server';

export interface ServiceAppOptions extends BuildAppOptions {
  /** replace some providers (tests, benches); the rest come from the profile */
  providers?: ProviderOverrides;
}

/** Every service starts the same way: our Fastify instance with the platform, then authentication. */
export async function createServiceApp(service: ServiceName, opts: ServiceAppOptions): Promise<FastifyInstance> {
  const app = createFastify({ config: opts.config, logger: opts.logger });
  await app.register(platformPlugin, { service, config: opts.config, providers: opts.providers });
  await app.register(authPlugin);
  return app;
}
