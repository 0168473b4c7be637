import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Logger, ParameterStore } from '@relabel/ports';
import { ParametersCache } from '../parameters/parameters-cache';

declare module 'fastify' {
  interface FastifyInstance {
    /** the validated operator parameters, refreshed on config.changed and re-read every 4 s (so a lost message still lands within 5 s) */
    parameters: Pick<ParametersCache, 'current' | 'onChange' | 'issues' | 'refresh'>;
  }
}

/** The operator parameters every service reads; loaded before any worker or inbox starts. */
async function registerParameters(app: FastifyInstance): Promise<void> {
  const { providers } = app;
  // Lazy store access: the parameter store is opened when the cache first reads, not at registration.
  const store: ParameterStore = {
    getAll: () => providers.parameterStore.getAll(),
    put: (name, value, options) => providers.parameterStore.put(name, value, options),
    history: (options) => providers.parameterStore.history(options),
    watch: (onChange) => providers.parameterStore.watch(onChange),
  };
  const parameters = new ParametersCache({ store, subscribe: (channel, handler) => app.subscribe(channel, handler), logger: app.log as unknown as Logger });
  app.decorate('parameters', parameters);
  // Before the queues' and inboxes' onReady: a job or request must never run on defaults while the store says otherwise.
  app.addHook('onReady', async () => parameters.start());
  app.addHook('onClose', async () => parameters.stop());
}

export const parametersPlugin = fp(registerParameters, { name: 'relabel-parameters', fastify: '5.x', dependencies: ['relabel-providers', 'relabel-pubsub'] });
