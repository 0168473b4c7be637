import Fastify, { FastifyBaseLogger, FastifyInstance, FastifyServerOptions, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';

/** A relabel service's Fastify instance: route schemas are TypeBox, so handlers see typed params, query and body. */
export type RelabelApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** Fastify's own default; JSON APIs need no more. A service that takes larger bodies says so. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface CreateFastifyOptions {
  /** a pino logger (server) or false (tests) */
  logger?: FastifyServerOptions['loggerInstance'] | false;
  /** the largest request body the service accepts, in bytes (default 1 MiB) */
  bodyLimit?: number;
}

/** The Fastify instance every service is built on: bounded bodies and timeouts, request ids, TypeBox. */
export function createFastify({ logger, bodyLimit = DEFAULT_BODY_LIMIT }: CreateFastifyOptions = {}): RelabelApp {
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    bodyLimit,
    requestTimeout: 60_000,
    connectionTimeout: 60_000,
    keepAliveTimeout: 65_000,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  });
  return app.withTypeProvider<TypeBoxTypeProvider>();
}
