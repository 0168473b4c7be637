import { createHash, randomBytes } from 'crypto';
import type { Redis } from 'ioredis';
import type { AccountRole } from '@relabel/ports';

/** What the server keeps of a session; the cookie holds only the random id. */
export interface SessionRecord {
  name: string;
  role: AccountRole;
  kind: 'account' | 'bootstrap';
  csrf: string;
  /** the account's password hash digest (password logins) or token id (token logins) it was opened with */
  credential: string;
  createdAt: string;
  expiresAt: string;
}

/**
 * Server-side sessions in Redis (`<prefix>:auth:session:<sha256 of the id>`), shared by the four
 * services so one login serves the review page and the console alike. Expiry is Redis's own TTL;
 * logout deletes the key, so a copied cookie is dead at once. Flushing Redis logs everyone out.
 */
export class SessionStore {
  constructor(private readonly redis: Redis, private readonly keyPrefix: string, readonly ttlMs: number) {}

  async create(input: Omit<SessionRecord, 'csrf' | 'createdAt' | 'expiresAt'>, now = new Date()): Promise<{ id: string; record: SessionRecord }> {
    const id = randomBytes(32).toString('base64url');
    const record: SessionRecord = {
      ...input,
      csrf: randomBytes(24).toString('base64url'),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.ttlMs).toISOString(),
    };
    await this.redis.set(this.key(id), JSON.stringify(record), 'PX', this.ttlMs);
    return { id, record };
  }

  async get(id: string): Promise<SessionRecord | null> {
    const text = await this.redis.get(this.key(id));
    return text ? (JSON.parse(text) as SessionRecord) : null;
  }

  async delete(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }

  private key(id: string): string {
    return `${this.keyPrefix}:auth:session:${createHash('sha256').update(id).digest('hex')}`;
  }
}
