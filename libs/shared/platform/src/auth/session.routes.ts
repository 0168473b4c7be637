import type { RelabelApp } from '../server/create-fastify';
import { Type } from '@sinclair/typebox';
import { AccountRoleSchema } from '@relabel/ports';
import { ErrorSchema } from '@relabel/contracts';

const tags = ['auth'];
const SessionSchema = Type.Object({
  name: Type.String(),
  role: AccountRoleSchema,
  csrfToken: Type.Optional(Type.String()),
  expiresAt: Type.Optional(Type.String()),
});
/** A login's body: a name and password, or a token (also for a page's own login route, e.g. the console's). */
export const LoginBodySchema = Type.Union([
  Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }),
  Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) }, { additionalProperties: false }),
]);

/** `/auth/session` on every service: log in (name + password, or a token), who am I, log out. */
export async function sessionRoutes(app: RelabelApp): Promise<void> {

  app.post('/auth/session', {
    schema: {
      tags,
      summary: 'Log in with a name and password (or a token); sets the HttpOnly session cookie and answers the CSRF token',
      body: LoginBodySchema,
      response: { 200: SessionSchema, 401: ErrorSchema, 429: ErrorSchema },
    },
  }, async (request, reply) => app.auth.login(request, reply, request.body));

  app.get('/auth/session', {
    preHandler: app.requireReviewer,
    schema: { tags, security: [{ bearer: [] }], summary: 'Who is logged in (with a cookie: the CSRF token too)', response: { 200: SessionSchema, 401: ErrorSchema } },
  }, async (request) => {
    const principal = request.principal!;
    const session = principal.via === 'session' ? await app.auth.session(request) : null;
    return { name: principal.name, role: principal.role, ...(session ? { csrfToken: session.csrfToken, expiresAt: session.expiresAt } : {}) };
  });

  app.delete('/auth/session', {
    schema: { tags, summary: 'Log out: the session ends in every service at once', response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await app.auth.logout(request, reply);
    return reply.code(204).send(null);
  });
}
