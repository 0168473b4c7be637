import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { RelabelError, ErrorSchema } from '@relabel/contracts';
import { CSRF_HEADER, LoginBodySchema, SESSION_COOKIE, type RelabelApp } from '@relabel/platform';
import { AccountRoleSchema } from '@relabel/ports';
import type { ForwardedCredentials } from '../infra/service-client';

const SessionSchema = Type.Object({
  name: Type.String(),
  role: AccountRoleSchema,
  csrfToken: Type.String({ description: 'send back as `X-CSRF-Token` on every write' }),
  expiresAt: Type.String(),
});

/**
 * The console's login on the platform's sessions (libs/shared/platform/README.md, "Authentication"):
 * an operator or admin account's name + password, or the bootstrap admin token. The session lives
 * in Redis, so it is the same `relabel_session` every service accepts; logout ends it everywhere.
 */
export async function consoleSessionRoutes(app: RelabelApp): Promise<void> {
  const tags = ['console'];

  app.post('/console/api/session', {
    schema: {
      tags,
      summary: 'Log in to the console (operator or admin: name + password, or the admin token); sets the session cookie',
      body: LoginBodySchema,
      response: { 200: SessionSchema, 401: ErrorSchema, 403: ErrorSchema, 429: ErrorSchema },
    },
  }, async (request, reply) => app.auth.login(request, reply, request.body, { role: 'operator' }));

  app.get('/console/api/session', {
    preHandler: app.requireOperator,
    schema: { tags, summary: 'Who is logged in to the console, and the CSRF token (after a page reload)', response: { 200: SessionSchema, 401: ErrorSchema, 403: ErrorSchema } },
  }, async (request) => {
    const session = await app.auth.session(request);
    if (!session) throw new RelabelError('AUTH_REQUIRED', 'log in to the console (a bearer token opens no console session)');
    return session;
  });

  app.delete('/console/api/session', {
    schema: { tags, summary: 'Log out: the session ends in every service at once', response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await app.auth.logout(request, reply);
    return reply.code(204).send(null);
  });
}

/**
 * The credentials the console user's request came with, to send on to another service so that it
 * records this account (trainer takes "who" only from credentials): the session cookie and the
 * CSRF token (both already checked here), or the bearer token.
 */
export function forwardedCredentials(request: FastifyRequest): ForwardedCredentials {
  const { authorization, cookie } = request.headers;
  if (authorization) return { authorization };
  const session = cookie?.split(';').map((part) => part.trim()).find((part) => part.startsWith(`${SESSION_COOKIE}=`));
  const csrf = request.headers[CSRF_HEADER];
  if (!session || typeof csrf !== 'string') throw new RelabelError('AUTH_REQUIRED', 'log in to the console first');
  return { cookie: session, [CSRF_HEADER]: csrf };
}
