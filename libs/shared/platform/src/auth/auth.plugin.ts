import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { isRelabelError, RelabelError } from '@relabel/contracts';
import type { AccountRole, Logger } from '@relabel/ports';
import { bearerToken, safeEqual } from '../http/auth';
import { AccountDirectory } from './account-directory';
import { Authenticator, type LoginCredentials } from './authenticator';
import { readCookie, serializeCookie } from './cookie';
import { LoginLimiter } from './login-limiter';
import { hasRole, type Principal } from './principal';
import { SessionStore } from './session-store';
import { sessionRoutes } from './session.routes';

export const SESSION_COOKIE = 'relabel_session';
export const CSRF_HEADER = 'x-csrf-token';
const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What a logged-in page needs to know; `csrfToken` goes back in `X-CSRF-Token` on every write. */
export interface SessionView {
  name: string;
  role: AccountRole;
  csrfToken: string;
  expiresAt: string;
}

/** The session API every service offers (see libs/shared/platform/README.md, "Authentication"). */
export interface AuthCapability {
  /** Checks the credentials (rate-limited), opens a session and sets its cookie on `reply`. */
  login(request: FastifyRequest, reply: FastifyReply, credentials: LoginCredentials, options?: { role?: AccountRole }): Promise<SessionView>;
  /** Ends the request's session (if any) in Redis and clears the cookie. */
  logout(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** The request's live session, or null; does not check CSRF (use the `require*` handlers for that). */
  session(request: FastifyRequest): Promise<SessionView | null>;
  /** The accounts writer calls this after each change, so every service re-reads before the next request. */
  accountsChanged(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** any account or token (reviewer, operator, admin); sets `request.principal` */
    requireReviewer: preHandlerAsyncHookHandler;
    /** operator or admin */
    requireOperator: preHandlerAsyncHookHandler;
    /** admin only */
    requireAdmin: preHandlerAsyncHookHandler;
    auth: AuthCapability;
  }
  interface FastifyRequest {
    /** set by the `require*` handlers: who this request acts for (the only source of "who") */
    principal: Principal | null;
  }
}

/**
 * The name of the account a request acts for (set by a `require*` handler): the "who" of answers,
 * parameter changes, trainings, deploys and account changes. Never read from a header.
 */
export function actingAccount(request: FastifyRequest): string {
  if (!request.principal) throw new RelabelError('AUTH_REQUIRED', 'this route has no authentication handler');
  return request.principal.name;
}

/**
 * Authentication for every service: bearer tokens (an account's API token, or the env bootstrap
 * tokens), name + password logins into Redis-held sessions (HttpOnly, SameSite=Strict cookie),
 * CSRF tokens on cookie-authenticated writes, and login rate limits. Identity comes only from
 * these credentials; no header may claim it.
 */
async function auth(app: FastifyInstance): Promise<void> {
  const { config } = app;
  const directory = new AccountDirectory({ store: () => app.providers.accountStore, redis: app.redis, keyPrefix: config.keyPrefix, logger: app.log as unknown as Logger });
  const sessions = new SessionStore(app.redis, config.keyPrefix, SESSION_TTL_MS);
  const authenticator = new Authenticator({ directory, sessions, limiter: new LoginLimiter(app.redis, config.keyPrefix), bootstrap: config.tokens });
  const cookieId = (request: FastifyRequest) => readCookie(request.headers.cookie, SESSION_COOKIE);
  const view = (record: { name: string; role: AccountRole; csrf: string; expiresAt: string }): SessionView => ({
    name: record.name,
    role: record.role,
    csrfToken: record.csrf,
    expiresAt: record.expiresAt,
  });

  /** Redis (sessions, limits, the accounts stamp) failing is a 503 the client may retry, not a 500. */
  async function coded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (isRelabelError(err)) throw err;
      throw new RelabelError('DEPENDENCY_UNAVAILABLE', `authentication cannot reach its store: ${(err as Error).message}`, undefined, { cause: err });
    }
  }

  async function authenticate(request: FastifyRequest): Promise<Principal> {
    const token = bearerToken(request);
    if (token) return (await authenticator.fromToken(token)).principal;
    const id = cookieId(request);
    if (!id) throw new RelabelError('AUTH_REQUIRED', 'send Authorization: Bearer <token>, or log in');
    const session = await authenticator.fromSession(id);
    if (!session) throw new RelabelError('AUTH_INVALID', 'the session has ended; log in again');
    if (!SAFE_METHODS.has(request.method)) {
      const given = request.headers[CSRF_HEADER];
      if (typeof given !== 'string' || !safeEqual(given, session.record.csrf)) throw new RelabelError('AUTH_CSRF', `send the session's CSRF token in X-CSRF-Token`);
    }
    return session.principal;
  }

  const require = (role: AccountRole): preHandlerAsyncHookHandler =>
    async (request) => {
      const principal = await coded(() => authenticate(request));
      if (!hasRole(principal, role)) throw new RelabelError('AUTH_FORBIDDEN', `${principal.name} is a ${principal.role}; this needs ${role}`);
      request.principal = principal;
    };

  const capability: AuthCapability = {
    async login(request, reply, credentials, options = {}) {
      let opened: Awaited<ReturnType<Authenticator['login']>>;
      try {
        opened = await coded(() => authenticator.login(credentials, request.ip, options.role));
      } catch (err) {
        request.log.warn({ address: request.ip, code: (err as RelabelError).code }, 'login refused');
        throw err;
      }
      const { id, record } = opened;
      // a fresh id on every login (no fixation); the session this browser held before ends
      const previous = cookieId(request);
      if (previous) await coded(() => sessions.delete(previous));
      request.log.info({ account: record.name, role: record.role }, 'login');
      reply.header('set-cookie', serializeCookie(SESSION_COOKIE, id, { maxAgeSeconds: SESSION_TTL_MS / 1000, secure: request.protocol === 'https' }));
      return view(record);
    },
    async logout(request, reply) {
      const id = cookieId(request);
      if (id) await sessions.delete(id);
      reply.header('set-cookie', serializeCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: request.protocol === 'https' }));
    },
    async session(request) {
      const id = cookieId(request);
      const session = id ? await authenticator.fromSession(id) : null;
      return session ? view(session.record) : null;
    },
    accountsChanged: () => directory.changed(),
  };

  app.decorateRequest('principal', null);
  app.decorate('requireReviewer', require('reviewer'));
  app.decorate('requireOperator', require('operator'));
  app.decorate('requireAdmin', require('admin'));
  app.decorate('auth', capability);
  await app.register(sessionRoutes);
}

export const authPlugin = fp(auth, { name: 'relabel-auth', dependencies: ['relabel-platform'] });
