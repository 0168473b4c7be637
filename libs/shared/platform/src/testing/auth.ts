import type { FastifyInstance } from 'fastify';
import type { AccountRole } from '@relabel/ports';
import { newApiToken } from '../auth/api-token';
import { SESSION_COOKIE } from '../auth/auth.plugin';
import { hashPassword } from '../auth/password-hash';

/**
 * Writes an account straight into the app's account store (what config-watcher's POST /accounts
 * does) and tells every process, for tests of services other than config-watcher.
 */
export async function seedAccount(
  app: FastifyInstance,
  input: { name: string; role?: AccountRole; password?: string },
): Promise<{ name: string; password: string; token: string }> {
  const password = input.password ?? `${input.name}-password-1`;
  const issued = newApiToken();
  const at = new Date().toISOString();
  await app.providers.accountStore.put({
    name: input.name,
    role: input.role ?? 'reviewer',
    passwordHash: await hashPassword(password),
    tokens: [{ id: issued.id, hash: issued.hash, createdAt: at, createdBy: 'test' }],
    createdAt: at,
    createdBy: 'test',
    events: [{ at, by: 'test', action: 'seeded' }],
  });
  await app.auth.accountsChanged();
  return { name: input.name, password, token: issued.token };
}

/** The `name=value` of the session cookie in a login response, for the next requests. */
export function sessionCookie(setCookie: string | string[] | undefined): string {
  const header = Array.isArray(setCookie) ? setCookie.join(';') : (setCookie ?? '');
  const match = new RegExp(`${SESSION_COOKIE}=[^;]+`).exec(header);
  if (!match) throw new Error('no session cookie in the response');
  return match[0];
}

/** Logs in through POST /auth/session; answers the headers a cookie-authenticated write needs. */
export async function loginAs(app: FastifyInstance, name: string, password: string): Promise<{ cookie: string; csrf: string; headers: Record<string, string> }> {
  const res = await app.inject({ method: 'POST', url: '/auth/session', payload: { name, password } });
  if (res.statusCode !== 200) throw new Error(`login as ${name} answered ${res.statusCode}: ${res.body}`);
  const cookie = sessionCookie(res.headers['set-cookie']);
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
}
