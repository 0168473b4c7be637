import { RelabelError } from '@relabel/contracts';
import { ACCOUNT_NAME_PATTERN, type Account, type AccountRole, type AccountStore } from '@relabel/ports';
import { hashPassword, newApiToken, RESERVED_NAME_PREFIX } from '@relabel/platform';
import { accountView, type AccountView } from '../domain/account-view';

export interface AccountDeps {
  store: AccountStore;
  /** tells every service to re-read the accounts before its next authentication */
  changed: () => Promise<void>;
  /** config-watcher is the one writer; this serialises its own concurrent requests */
  writes: SerialWrites;
  clock: () => Date;
}

const NAME = new RegExp(ACCOUNT_NAME_PATTERN);
const MIN_PASSWORD = 10;
const MAX_ACTIVE_TOKENS = 10;
/** revoked tokens kept for the audit trail, newest first (the record must stay small: SSM holds 4–8 KB) */
const MAX_REVOKED_TOKENS = 10;
const MAX_EVENTS = 30;

/** A promise chain: one account change at a time, so two requests never lose each other's update. */
export class SerialWrites {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.tail.then(work, work);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

export async function listAccounts(deps: Pick<AccountDeps, 'store'>): Promise<AccountView[]> {
  return (await deps.store.list()).map(accountView);
}

export async function getAccount(deps: Pick<AccountDeps, 'store'>, name: string): Promise<AccountView> {
  return accountView(await mustGet(deps.store, name));
}

/**
 * Creates an account (or re-creates a deleted one, keeping its trail). It needs a password, an API
 * token, or both; the token is answered once and only its digest is stored.
 */
export async function createAccount(
  deps: AccountDeps,
  input: { name: string; role: AccountRole; password?: string; issueToken?: boolean; by: string },
): Promise<{ account: AccountView; token?: { id: string; token: string } }> {
  const name = checkName(input.name);
  if (input.password === undefined && !input.issueToken) throw new RelabelError('ACCOUNT_INVALID', 'give a password, ask for a token (issueToken: true), or both');
  if (input.password !== undefined) checkPassword(input.password);
  const passwordHash = input.password === undefined ? '' : await hashPassword(input.password);
  return deps.writes.run(async () => {
    const existing = await deps.store.get(name);
    if (existing && !existing.deletedAt) throw new RelabelError('ACCOUNT_EXISTS', `an account named ${name} exists`);
    const at = deps.clock().toISOString();
    const issued = input.issueToken ? newApiToken() : undefined;
    const account: Account = {
      name,
      role: input.role,
      passwordHash,
      tokens: issued ? [{ id: issued.id, hash: issued.hash, createdAt: at, createdBy: input.by }] : [],
      createdAt: at,
      createdBy: input.by,
      events: withEvent(existing?.events ?? [], { at, by: input.by, action: `created as ${input.role}${issued ? `, token ${issued.id}` : ''}` }),
    };
    await save(deps, account);
    return { account: accountView(account), ...(issued ? { token: { id: issued.id, token: issued.token } } : {}) };
  });
}

/** Sets a new password (an admin resetting a forgotten one): sessions opened with the old one end. */
export async function setPassword(deps: AccountDeps, input: { name: string; password: string; by: string }): Promise<AccountView> {
  checkPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  return change(deps, input.name, (account, at) => ({ ...account, passwordHash, events: withEvent(account.events, { at, by: input.by, action: 'password set' }) }));
}

/** Deletes an account: password and tokens go at once (every session and token of it is refused); the trail stays. */
export async function deleteAccount(deps: AccountDeps, input: { name: string; by: string }): Promise<AccountView> {
  return change(deps, input.name, (account, at) => ({
    ...account,
    passwordHash: '',
    tokens: account.tokens.map((t) => (t.revokedAt ? t : { ...t, revokedAt: at, revokedBy: input.by })),
    deletedAt: at,
    deletedBy: input.by,
    events: withEvent(account.events, { at, by: input.by, action: 'deleted' }),
  }));
}

export async function issueToken(deps: AccountDeps, input: { name: string; label?: string; by: string }): Promise<{ id: string; token: string }> {
  const issued = newApiToken();
  await change(deps, input.name, (account, at) => {
    if (account.tokens.filter((t) => !t.revokedAt).length >= MAX_ACTIVE_TOKENS) {
      throw new RelabelError('ACCOUNT_INVALID', `${account.name} already has ${MAX_ACTIVE_TOKENS} tokens; revoke one first`);
    }
    const token = { id: issued.id, hash: issued.hash, createdAt: at, createdBy: input.by, ...(input.label ? { label: input.label } : {}) };
    return { ...account, tokens: [...account.tokens, token], events: withEvent(account.events, { at, by: input.by, action: `token ${issued.id} issued` }) };
  });
  return { id: issued.id, token: issued.token };
}

/** Revokes a token: from the answer of this call on, every service refuses it (401) and its sessions. */
export async function revokeToken(deps: AccountDeps, input: { name: string; id: string; by: string }): Promise<AccountView> {
  return change(deps, input.name, (account, at) => {
    const token = account.tokens.find((t) => t.id === input.id);
    if (!token) throw new RelabelError('ACCOUNT_NOT_FOUND', `${account.name} has no token ${input.id}`);
    if (token.revokedAt) return account;
    const tokens = account.tokens.map((t) => (t.id === input.id ? { ...t, revokedAt: at, revokedBy: input.by } : t));
    const revoked = tokens.filter((t) => t.revokedAt).sort((a, b) => (a.revokedAt! < b.revokedAt! ? 1 : -1));
    const kept = new Set(revoked.slice(0, MAX_REVOKED_TOKENS));
    return {
      ...account,
      tokens: tokens.filter((t) => !t.revokedAt || kept.has(t)),
      events: withEvent(account.events, { at, by: input.by, action: `token ${input.id} revoked` }),
    };
  });
}

async function change(deps: AccountDeps, name: string, edit: (account: Account, at: string) => Account): Promise<AccountView> {
  return deps.writes.run(async () => {
    const account = await mustGet(deps.store, name);
    if (account.deletedAt) throw new RelabelError('ACCOUNT_NOT_FOUND', `account ${name} was deleted`);
    const next = edit(account, deps.clock().toISOString());
    if (next !== account) await save(deps, next);
    return accountView(next);
  });
}

async function save(deps: AccountDeps, account: Account): Promise<void> {
  await deps.store.put(account);
  await deps.changed();
}

async function mustGet(store: AccountStore, name: string): Promise<Account> {
  const account = await store.get(name);
  if (!account) throw new RelabelError('ACCOUNT_NOT_FOUND', `no account named ${name}`);
  return account;
}

function checkName(raw: string): string {
  const name = raw.trim().toLowerCase();
  if (!NAME.test(name)) throw new RelabelError('ACCOUNT_INVALID', 'account names are 1–64 of a-z, 0-9, "_", ".", "@", "-", starting with a letter or digit');
  if (name.startsWith(RESERVED_NAME_PREFIX)) throw new RelabelError('ACCOUNT_INVALID', `names starting with ${RESERVED_NAME_PREFIX} stand for the env tokens`);
  return name;
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD) throw new RelabelError('ACCOUNT_INVALID', `passwords have at least ${MIN_PASSWORD} characters`);
}

function withEvent(events: Account['events'], event: Account['events'][number]): Account['events'] {
  return [...events, event].slice(-MAX_EVENTS);
}
