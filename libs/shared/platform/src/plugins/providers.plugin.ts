import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '@relabel/ports';
import type { AppConfig } from '../config/config.schema';
import { createProviders } from '../providers/create-providers';
import type { ProviderOverrides, Providers } from '../providers/providers';

declare module 'fastify' {
  interface FastifyInstance {
    config: AppConfig;
    providers: Providers;
  }
}

export interface ProvidersPluginOptions {
  config: AppConfig;
  /** replace some providers (tests, tools); the rest come from the profile */
  providers?: ProviderOverrides;
}

/** The validated config and the ports' adapters (each made on first use; closed last of all). */
async function registerProviders(app: FastifyInstance, opts: ProvidersPluginOptions): Promise<void> {
  const providers = createProviders(opts.config, { logger: app.log as unknown as Logger }, opts.providers);
  app.decorate('config', opts.config);
  app.decorate('providers', providers);
  app.addHook('onClose', async () => providers.close());
}

export const providersPlugin = fp(registerProviders, { name: 'relabel-providers', fastify: '5.x' });
