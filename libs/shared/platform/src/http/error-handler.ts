import type { FastifyError, FastifyInstance } from 'fastify';
import { ERRORS, isRelabelError } from '@relabel/contracts';

/**
 * Maps every error to `{ code, message }` once, at the edge: catalogued errors keep their code and
 * status, Fastify's own 4xx (validation, body too large, bad content type) become REQUEST_INVALID
 * with their status, and anything else is a 500 that never leaks internals.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (isRelabelError(err)) {
      if (err.status >= 500) request.log.error({ err, code: err.code }, err.message);
      const body: Record<string, unknown> = { code: err.code, message: err.message };
      if (err.details) body.details = err.details;
      if (err.code === 'DETECTION_BUSY' && !reply.hasHeader('retry-after')) reply.header('retry-after', '1');
      if (err.code === 'AUTH_RATE_LIMITED') reply.header('retry-after', String(err.details?.retryAfterSeconds ?? 60));
      return reply.status(err.status).send(body);
    }
    if (err.validation) {
      return reply.status(400).send({ code: 'REQUEST_INVALID', message: err.message });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = status === 413 ? 'IMAGE_TOO_LARGE' : status === 415 ? 'IMAGE_UNSUPPORTED_TYPE' : 'REQUEST_INVALID';
      return reply.status(status).send({ code, message: err.message });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ code: 'INTERNAL', message: ERRORS.INTERNAL.message });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
  );
}
