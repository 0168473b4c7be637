import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { installErrorHandler } from '../http/error-handler';

/** Every error answered as `{ code, message, details? }` from the catalog; unknown routes as NOT_FOUND. */
async function registerHttpErrors(app: FastifyInstance): Promise<void> {
  installErrorHandler(app);
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
  );
}

export const httpErrorsPlugin = fp(registerHttpErrors, { name: 'relabel-http-errors', fastify: '5.x' });
