import type { Account, AccountStore } from '@relabel/ports';
import { createAccount, deleteAccount, issueToken, revokeToken, SerialWrites } from './manage-accounts.use-case';

/** An account store that yields between read and write, so unserialised writers would lose updates. */
function slowMemoryStore(): AccountStore & { accounts: Map<string, Account> } {
  const accounts = new Map<string, Account>();
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  return {
    accounts,
    async list() {
      await tick();
      return [...accounts.values()].map((a) => structuredClone(a));
    },
    async get(name) {
      await tick();
      const account = accounts.get(name);
      return account ? structuredClone(account) : null;
    },
    async put(account) {
      await tick();
      accounts.set(account.name, structuredClone(account));
    },
  };
}

describe('account management', () => {
  let store: ReturnType<typeof slowMemoryStore>;
  let changes: number;
  const deps = () => ({ store, changed: async () => void changes++, writes, clock: () => new Date('2026-02-01T10:00:00Z') });
  let writes: SerialWrites;
  beforeEach(() => {
    store = slowMemoryStore();
    changes = 0;
    writes = new SerialWrites();
  });

  it('loses no token when several are issued at once, and announces every change', async () => {
    await createAccount(deps(), { name: 'bot', role: 'operator', issueToken: true, by: 'ada' });
    const issued = await Promise.all(Array.from({ length: 5 }, (_, i) => issueToken(deps(), { name: 'bot', label: `t${i}`, by: 'ada' })));
    const account = store.accounts.get('bot')!;
    expect(account.tokens.map((t) => t.id).sort()).toEqual([account.tokens[0]!.id, ...issued.map((t) => t.id)].sort());
    expect(changes).toBe(6);
    // only digests are stored
    expect(JSON.stringify(account)).not.toContain(issued[0]!.token);
  });

  it('keeps at most 10 live tokens and a bounded list of revoked ones', async () => {
    await createAccount(deps(), { name: 'bot', role: 'reviewer', password: 'bot-password-1', by: 'ada' });
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await issueToken(deps(), { name: 'bot', by: 'ada' })).id);
    await expect(issueToken(deps(), { name: 'bot', by: 'ada' })).rejects.toMatchObject({ code: 'ACCOUNT_INVALID' });
    for (const id of ids) await revokeToken(deps(), { name: 'bot', id, by: 'ada' });
    for (let i = 0; i < 3; i++) await revokeToken(deps(), { name: 'bot', id: (await issueToken(deps(), { name: 'bot', by: 'ada' })).id, by: 'ada' });
    const tokens = store.accounts.get('bot')!.tokens;
    expect(tokens).toHaveLength(10);
    expect(tokens.every((t) => t.revokedBy === 'ada')).toBe(true);
    expect(store.accounts.get('bot')!.events.length).toBeLessThanOrEqual(30);
  });

  it('a deleted account keeps no password and no live token', async () => {
    await createAccount(deps(), { name: 'eve', role: 'admin', password: 'eve-password-1', issueToken: true, by: 'ada' });
    const view = await deleteAccount(deps(), { name: 'eve', by: 'ada' });
    expect(view).toMatchObject({ hasPassword: false, deletedBy: 'ada' });
    expect(store.accounts.get('eve')).toMatchObject({ passwordHash: '', tokens: [expect.objectContaining({ revokedBy: 'ada' })] });
    await expect(issueToken(deps(), { name: 'eve', by: 'ada' })).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
  });
});
