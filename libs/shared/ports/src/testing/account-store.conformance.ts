import type { Account, AccountStore } from '../account-store.port';
import { describeConformance } from './conformance-suite';

export interface AccountStoreUnderTest {
  /** a store over the same backing data, as another process would open it */
  open(): AccountStore;
  cleanup(): Promise<void>;
}

const HASH = 'scrypt$32768$8$1$c2FsdA$a2V5';

export function sampleAccount(name: string, overrides: Partial<Account> = {}): Account {
  return {
    name,
    role: 'reviewer',
    passwordHash: HASH,
    tokens: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: 'bootstrap-admin',
    events: [{ at: '2026-01-01T00:00:00.000Z', by: 'bootstrap-admin', action: 'created as reviewer' }],
    ...overrides,
  };
}

/** The contract every AccountStore adapter passes. */
export function describeAccountStoreConformance(name: string, make: () => Promise<AccountStoreUnderTest>): void {
  describeConformance('AccountStore', name, make, (sut) => {
    it('answers nothing before anything is written', async () => {
      expect(await sut().open().list()).toEqual([]);
      expect(await sut().open().get('alice')).toBeNull();
    });

    it('shows a written account to every reader, sorted by name', async () => {
      const writer = sut().open();
      await writer.put(sampleAccount('carol', { role: 'admin' }));
      await writer.put(sampleAccount('alice'));
      const token = { id: 'a1b2c3d4e5f6', hash: 'f'.repeat(64), createdAt: '2026-01-02T00:00:00.000Z', createdBy: 'carol' };
      await writer.put(sampleAccount('bob', { role: 'operator', tokens: [token] }));
      const reader = sut().open();
      expect((await reader.list()).map((a) => a.name)).toEqual(['alice', 'bob', 'carol']);
      expect(await reader.get('bob')).toEqual(sampleAccount('bob', { role: 'operator', tokens: [token] }));
    });

    it('replaces an account whole, tombstones included', async () => {
      const store = sut().open();
      await store.put(sampleAccount('alice'));
      const tombstone = sampleAccount('alice', { passwordHash: '', deletedAt: '2026-01-03T00:00:00.000Z', deletedBy: 'carol' });
      await store.put(tombstone);
      expect(await sut().open().get('alice')).toEqual(tombstone);
      expect(await sut().open().list()).toHaveLength(1);
    });

    it('never shows a mix of two writers racing on the same account', async () => {
      const a = sut().open();
      const b = sut().open();
      const writes = Array.from({ length: 12 }, (_, i) =>
        (i % 2 ? a : b).put(sampleAccount('alice', { createdBy: `w${i}`, events: [{ at: 'x', by: `w${i}`, action: 'created' }] })),
      );
      const reads = Array.from({ length: 12 }, () => sut().open().get('alice'));
      const results = await Promise.all([...writes, ...reads]);
      for (const account of results.slice(12) as Array<Account | null>) {
        if (account) expect(account.events[0]!.by).toBe(account.createdBy);
      }
    });

    it('refuses a record of the wrong shape and keeps the old one', async () => {
      const store = sut().open();
      await store.put(sampleAccount('alice'));
      await expect(store.put(sampleAccount('alice', { role: 'root' as Account['role'] }))).rejects.toMatchObject({ code: 'CONTRACT_INVALID_PAYLOAD' });
      await expect(store.put(sampleAccount('../x'))).rejects.toMatchObject({ code: 'CONTRACT_INVALID_PAYLOAD' });
      expect((await store.get('alice'))?.role).toBe('reviewer');
    });

    it('answers null for a name that is not a valid account name', async () => {
      expect(await sut().open().get('../etc/passwd')).toBeNull();
    });
  });
}
