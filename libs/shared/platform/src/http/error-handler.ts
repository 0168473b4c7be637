import type { FastifyError, FastifyInstance } from 'fastify';
import { ERRORS, ErrorCode, isRelabelError } from '@relabel/contracts';

export interface ErrorHandlerOptions {
  /**
   * Which catalog code a framework 4xx (body too large, unsupported Content-Type…) answers with, by
   * status; REQUEST_INVALID when absent. A scope that knows what its bodies are says so, e.g. the
   * detector's image upload maps 413 to IMAGE_TOO_LARGE.
   */
  codeByStatus?: Partial<Record<number, ErrorCode>>;
}

/**
 * Maps every error to `{ code, message, details? }` once, at the edge: catalogued errors keep their
 * code and status (a `details.retryAfterSeconds` becomes Retry-After), Fastify's own 4xx
 * (validation, body too large, bad content type) become REQUEST_INVALID — or the scope's code for
 * that status — with their status, and anything else is a 500 that never leaks internals.
 * Registered once by the platform; a route scope may register it again with its own mapping.
 */
export function installErrorHandler(app: FastifyInstance, options: ErrorHandlerOptions = {}): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (isRelabelError(err)) {
      if (err.status >= 500) request.log.error({ err, code: err.code }, err.message);
      const body: Record<string, unknown> = { code: err.code, message: err.message };
      if (err.details) body.details = err.details;
      const retryAfter = err.details?.retryAfterSeconds;
      if (typeof retryAfter === 'number' && !reply.hasHeader('retry-after')) reply.header('retry-after', String(retryAfter));
      return reply.status(err.status).send(body);
    }
    if (err.validation) {
      return reply.status(400).send({ code: 'REQUEST_INVALID', message: err.message });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.status(status).send({ code: options.codeByStatus?.[status] ?? 'REQUEST_INVALID', message: err.message });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ code: 'INTERNAL', message: ERRORS.INTERNAL.message });
  });
}
