import Fastify, { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppConfig } from '../config/config.schema';

export interface CreateFastifyOptions {
  config: AppConfig;
  /** a pino logger (server) or false (tests) */
  logger?: FastifyServerOptions['loggerInstance'] | false;
}

/** The Fastify instance every service is built on: bounded bodies and timeouts, request ids, TypeBox. */
export function createFastify({ config, logger }: CreateFastifyOptions): FastifyInstance {
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    // The detector accepts images up to the configured limit (+ multipart overhead); JSON stays small.
    bodyLimit: config.detector.maxImageBytes + 64 * 1024,
    requestTimeout: 60_000,
    connectionTimeout: 60_000,
    keepAliveTimeout: 65_000,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  });
  return app.withTypeProvider<TypeBoxTypeProvider>() as unknown as FastifyInstance;
}
