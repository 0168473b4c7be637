import { createHash } from 'crypto';
import { RelabelError } from '@relabel/contracts';
import type { Account, AccountRole } from '@relabel/ports';
import { safeEqual } from '../http/auth';
import type { AccountDirectory } from './account-directory';
import { looksLikeApiToken } from './api-token';
import type { LoginLimiter } from './login-limiter';
import { decoyHash, verifyPassword } from './password-hash';
import { BOOTSTRAP_ADMIN, BOOTSTRAP_REVIEWER, hasRole, type Principal } from './principal';
import type { SessionRecord, SessionStore } from './session-store';

export type LoginCredentials = { name: string; password: string } | { token: string };

export interface AuthenticatorDeps {
  directory: AccountDirectory;
  sessions: SessionStore;
  limiter: LoginLimiter;
  /** the env tokens: a bootstrap admin and a bootstrap reviewer, so a fresh install can log in */
  bootstrap: { admin?: string; reviewer?: string };
}

const WRONG_LOGIN = 'the name or the password is wrong';
const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/**
 * Turns credentials into a Principal: bearer tokens (the env bootstrap tokens or an account's API
 * token), name + password logins (rate-limited, the same answer for an unknown name and a wrong
 * password), and sessions, which are re-checked against the account on every use — a deleted
 * account, a changed password or a revoked token ends the sessions opened with it.
 */
export class Authenticator {
  constructor(private readonly deps: AuthenticatorDeps) {}

  async fromToken(token: string): Promise<{ principal: Principal; credential: string }> {
    const { admin, reviewer } = this.deps.bootstrap;
    if (admin && safeEqual(token, admin)) return { principal: bootstrap(BOOTSTRAP_ADMIN, 'admin', 'token'), credential: digest(admin) };
    if (reviewer && safeEqual(token, reviewer)) return { principal: bootstrap(BOOTSTRAP_REVIEWER, 'reviewer', 'token'), credential: digest(reviewer) };
    const found = looksLikeApiToken(token) ? await this.deps.directory.findByToken(token) : null;
    if (!found) throw new RelabelError('AUTH_INVALID', 'the token is not valid (unknown or revoked)');
    return { principal: accountPrincipal(found.account, 'token'), credential: `token:${found.token.id}` };
  }

  /** Opens a session; `role` is the least role the caller of this login needs (the operator console: operator). */
  async login(credentials: LoginCredentials, address: string, role: AccountRole = 'reviewer'): Promise<{ id: string; record: SessionRecord; principal: Principal }> {
    const opened = 'token' in credentials ? await this.tokenLogin(credentials.token, address) : await this.passwordLogin(credentials, address);
    const { principal, credential } = opened;
    if (!hasRole(principal, role)) throw new RelabelError('AUTH_FORBIDDEN', `${principal.name} is a ${principal.role}; this needs ${role}`);
    const session = await this.deps.sessions.create({ name: principal.name, role: principal.role, kind: principal.kind, credential });
    return { ...session, principal: { ...principal, via: 'session' } };
  }

  /** The principal of a live session, or null when it expired, was logged out or lost its credential. */
  async fromSession(id: string): Promise<{ principal: Principal; record: SessionRecord } | null> {
    const record = await this.deps.sessions.get(id);
    if (!record) return null;
    if (record.kind === 'bootstrap') {
      const token = record.name === BOOTSTRAP_ADMIN ? this.deps.bootstrap.admin : this.deps.bootstrap.reviewer;
      if (!token || digest(token) !== record.credential) return null;
      return { principal: bootstrap(record.name, record.role, 'session'), record };
    }
    const account = await this.deps.directory.get(record.name);
    if (!account) return null;
    const valid = record.credential.startsWith('token:')
      ? account.tokens.some((t) => `token:${t.id}` === record.credential && !t.revokedAt)
      : digest(account.passwordHash) === record.credential;
    return valid ? { principal: accountPrincipal(account, 'session'), record } : null;
  }

  private async tokenLogin(token: string, address: string) {
    await this.deps.limiter.check({ address });
    try {
      return await this.fromToken(token);
    } catch (err) {
      await this.deps.limiter.failed({ address });
      throw err;
    }
  }

  private async passwordLogin(input: { name: string; password: string }, address: string) {
    const name = input.name.trim().toLowerCase();
    await this.deps.limiter.check({ name, address });
    const account = await this.deps.directory.get(name);
    // an unknown name pays the same scrypt as a wrong password
    const ok = await verifyPassword(input.password, account?.passwordHash || (await decoyHash()));
    if (!account || !ok) {
      await this.deps.limiter.failed({ name, address });
      throw new RelabelError('AUTH_INVALID', WRONG_LOGIN);
    }
    await this.deps.limiter.succeeded(name);
    return { principal: accountPrincipal(account, 'session'), credential: digest(account.passwordHash) };
  }
}

function bootstrap(name: string, role: AccountRole, via: Principal['via']): Principal {
  return { name, role, kind: 'bootstrap', via };
}

function accountPrincipal(account: Account, via: Principal['via']): Principal {
  return { name: account.name, role: account.role, kind: 'account', via };
}
