import type { ServiceName } from '../config/config.schema';
import { authPlugin } from '../auth/auth.plugin';
import { platformPlugin } from '../plugins/platform.plugin';
import type { ProviderOverrides } from '../providers/providers';
import { createFastify, RelabelApp } from './create-fastify';
import type { BuildAppOptions } from './run-server';

export interface ServiceAppOptions extends BuildAppOptions {
  /** replace some providers (tests, benches); the rest come from the profile */
  providers?: ProviderOverrides;
}

/** What the app itself decides about its HTTP edge (not configuration: it follows from what the service serves). */
export interface ServiceHttpLimits {
  /** the largest request body any of its routes takes (default 1 MiB) */
  bodyLimit?: number;
}

/** Every service starts the same way: our Fastify instance with the platform, then authentication. */
export async function createServiceApp(service: ServiceName, opts: ServiceAppOptions, limits: ServiceHttpLimits = {}): Promise<RelabelApp> {
  const app = createFastify({ logger: opts.logger, bodyLimit: limits.bodyLimit });
  await app.register(platformPlugin, { service, config: opts.config, providers: opts.providers });
  await app.register(authPlugin);
  return app;
}
