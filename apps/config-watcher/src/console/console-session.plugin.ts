import { randomBytes } from 'crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { RelabelError } from '@relabel/contracts';
import { safeEqual } from '@relabel/platform';

export const CONSOLE_COOKIE = 'relabel_console';
const SESSION_MS = 12 * 60 * 60 * 1000;
const MAX_SESSIONS = 1000;
const SAFE_METHODS = new Set(['GET', 'HEAD']);

interface Session {
  csrf: string;
  expiresAt: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** a console session cookie; writes (not GET/HEAD) also need its `x-csrf-token` header */
    requireConsoleSession: preHandlerAsyncHookHandler;
  }
}

const ErrorSchema = Type.Object({ code: Type.String(), message: Type.String() });
const SessionSchema = Type.Object({ csrf: Type.String({ description: 'send back as `x-csrf-token` on every write' }) });

/**
 * The console's login, in one module so it can be swapped for a platform session capability.
 * Logging in with the admin token creates a server-side session (random id in an HttpOnly,
 * SameSite=Strict cookie scoped to /console) with its own CSRF token; logout deletes it. Sessions
 * live in this process: a restart of config-watcher asks the operator to log in again.
 */
async function consoleSession(app: FastifyInstance): Promise<void> {
  const sessions = new Map<string, Session>();
  const adminToken = app.config.tokens.admin;

  const sessionOf = (request: FastifyRequest): { id: string; session: Session } | null => {
    const id = readCookie(request.headers.cookie, CONSOLE_COOKIE);
    const session = id ? sessions.get(id) : undefined;
    if (!id || !session) return null;
    if (session.expiresAt <= Date.now()) {
      sessions.delete(id);
      return null;
    }
    return { id, session };
  };
  const cookie = (request: FastifyRequest, value: string, maxAgeSeconds: number) =>
    [`${CONSOLE_COOKIE}=${value}`, 'Path=/console', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`, ...(request.protocol === 'https' ? ['Secure'] : [])].join('; ');

  app.decorate('requireConsoleSession', async (request: FastifyRequest) => {
    const found = sessionOf(request);
    if (!found) throw new RelabelError('AUTH_REQUIRED', 'log in to the console first');
    if (SAFE_METHODS.has(request.method)) return;
    const given = request.headers['x-csrf-token'];
    if (typeof given !== 'string' || !safeEqual(given, found.session.csrf)) throw new RelabelError('AUTH_CSRF', 'send the x-csrf-token header of this session');
  });

  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['console'];
  r.post('/console/api/session', {
    schema: { tags, summary: 'Log in to the console with the admin token; sets the session cookie', body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) }), response: { 200: SessionSchema, 401: ErrorSchema } },
  }, async (request, reply) => {
    if (!adminToken || !safeEqual(request.body.token, adminToken)) throw new RelabelError('AUTH_INVALID', 'the admin token is not valid');
    sweep(sessions);
    const id = randomBytes(32).toString('base64url');
    const session = { csrf: randomBytes(24).toString('base64url'), expiresAt: Date.now() + SESSION_MS };
    sessions.set(id, session);
    reply.header('set-cookie', cookie(request, id, SESSION_MS / 1000));
    return { csrf: session.csrf };
  });

  r.get('/console/api/session', {
    preHandler: app.requireConsoleSession,
    schema: { tags, summary: 'The current session and its CSRF token', response: { 200: SessionSchema, 401: ErrorSchema } },
  }, async (request) => ({ csrf: sessionOf(request)!.session.csrf }));

  r.delete('/console/api/session', {
    preHandler: app.requireConsoleSession,
    schema: { tags, summary: 'Log out: ends the session', response: { 204: Type.Null(), 401: ErrorSchema, 403: ErrorSchema } },
  }, async (request, reply) => {
    sessions.delete(sessionOf(request)!.id);
    return reply.header('set-cookie', cookie(request, '', 0)).code(204).send(null);
  });
}

/** Drops expired sessions, and the oldest ones beyond the cap, so logins cannot grow memory. */
function sweep(sessions: Map<string, Session>): void {
  const now = Date.now();
  for (const [id, s] of sessions) if (s.expiresAt <= now) sessions.delete(id);
  while (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  return header?.split(';').map((part) => part.trim().split('=')).find(([key]) => key === name)?.[1];
}

export const consoleSessionPlugin = fp(consoleSession, { name: 'relabel-console-session', dependencies: ['relabel-platform'] });
