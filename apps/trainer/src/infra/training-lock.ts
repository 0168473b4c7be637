import type { Redis } from 'ioredis';

/**
 * The single training slot: at most one training or deployment runs at a time. Held in Redis with
 * an expiry (SET NX PX) so a crashed holder cannot block training for ever; the run renews it at
 * every step. The owner is the run id.
 */
export interface TrainingLock {
  /** Takes the slot, or keeps it if `owner` already holds it. */
  acquire(owner: string): Promise<{ acquired: true } | { acquired: false; holder: string | null }>;
  /** Extends the expiry; re-takes an expired slot. False when someone else holds it. */
  renew(owner: string): Promise<boolean>;
  release(owner: string): Promise<void>;
  holder(): Promise<string | null>;
}

const ACQUIRE = `
local current = redis.call('GET', KEYS[1])
if current == false then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
if current == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export class RedisTrainingLock implements TrainingLock {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly ttlMs: number,
  ) {}

  async acquire(owner: string): Promise<{ acquired: true } | { acquired: false; holder: string | null }> {
    if (await this.take(owner)) return { acquired: true };
    return { acquired: false, holder: await this.holder() };
  }

  renew(owner: string): Promise<boolean> {
    return this.take(owner);
  }

  async release(owner: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, owner);
  }

  holder(): Promise<string | null> {
    return this.redis.get(this.key);
  }

  private async take(owner: string): Promise<boolean> {
    return (await this.redis.eval(ACQUIRE, 1, this.key, owner, String(this.ttlMs))) === 1;
  }
}
