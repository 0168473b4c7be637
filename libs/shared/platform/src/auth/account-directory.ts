import { randomUUID } from 'crypto';
import type { Redis } from 'ioredis';
import type { Account, AccountStore, AccountToken, Logger } from '@relabel/ports';
import { hashApiToken } from './api-token';

interface Snapshot {
  generation: string | null;
  loadedAt: number;
  byName: Map<string, Account>;
  byTokenHash: Map<string, { account: Account; token: AccountToken }>;
}

/** A backstop re-read, for an accounts file edited by hand; changes made through the API land at once. */
const MAX_AGE_MS = 30_000;

/**
 * Every service's read view of the accounts. Reading the store on every request would cost an SSM
 * call each (aws), so each process keeps a snapshot, and a generation stamp in Redis says when it is
 * stale: the writer replaces the stamp after every change, and every authentication compares it
 * (one Redis GET) before trusting its snapshot. A token revoked in config-watcher is refused by
 * the next request to any of the four services. A missing stamp (fresh or flushed Redis) is set anew,
 * which forces every process to re-read; when Redis cannot answer, the store is read directly.
 */
export class AccountDirectory {
  private snapshot: Snapshot | undefined;
  private loading: { generation: string | null; promise: Promise<Snapshot> } | undefined;
  private readonly stampKey: string;

  constructor(private readonly deps: { store: () => AccountStore; redis: Redis; keyPrefix: string; logger: Logger; now?: () => number }) {
    this.stampKey = `${deps.keyPrefix}:auth:accounts-generation`;
  }

  /** The live (not deleted) account of that name, as of the latest change. */
  async get(name: string): Promise<Account | null> {
    return (await this.current()).byName.get(name) ?? null;
  }

  /** The live account and unrevoked token that `token` is, or null. */
  async findByToken(token: string): Promise<{ account: Account; token: AccountToken } | null> {
    return (await this.current()).byTokenHash.get(hashApiToken(token)) ?? null;
  }

  /** Called by the writer after each change: every process re-reads before its next authentication. */
  async changed(): Promise<void> {
    this.snapshot = undefined;
    await this.deps.redis.set(this.stampKey, randomUUID());
  }

  private async current(): Promise<Snapshot> {
    const now = (this.deps.now ?? Date.now)();
    let generation: string | null;
    try {
      generation = await this.deps.redis.get(this.stampKey);
      if (generation === null) {
        await this.deps.redis.set(this.stampKey, randomUUID(), 'NX');
        generation = await this.deps.redis.get(this.stampKey);
      }
    } catch (err) {
      this.deps.logger.warn({ err: (err as Error).message }, 'accounts generation unreadable; reading the account store directly');
      return this.load(null, now);
    }
    const snap = this.snapshot;
    if (snap && generation !== null && snap.generation === generation && now - snap.loadedAt < MAX_AGE_MS) return snap;
    return this.load(generation, now);
  }

  private async load(generation: string | null, now: number): Promise<Snapshot> {
    // concurrent requests of the same generation share one read of the store
    if (this.loading && this.loading.generation === generation) return this.loading.promise;
    const read = async (): Promise<Snapshot> => {
      const accounts = await this.deps.store().list();
      const byName = new Map<string, Account>();
      const byTokenHash = new Map<string, { account: Account; token: AccountToken }>();
      for (const account of accounts) {
        if (account.deletedAt) continue;
        byName.set(account.name, account);
        for (const token of account.tokens) if (!token.revokedAt) byTokenHash.set(token.hash, { account, token });
      }
      const snap = { generation, loadedAt: now, byName, byTokenHash };
      if (generation !== null) this.snapshot = snap;
      return snap;
    };
    const promise = read().finally(() => {
      if (this.loading?.promise === promise) this.loading = undefined;
    });
    this.loading = { generation, promise };
    return promise;
  }
}
