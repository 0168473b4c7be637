import { createHash, randomUUID } from 'crypto';
import type { Redis } from 'ioredis';
import { RelabelError } from '@relabel/contracts';
import type { DetectionLocks, LockRelease } from '../domain/detection-locks';

// Delete only our own lock: after an expiry another holder may own the key.
const RELEASE_SCRIPT = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * DetectionLocks on Redis (`SET NX PX` + compare-and-delete), shared by every detector replica.
 * Images this process is detecting are also held in memory: a flushed Redis loses its locks while
 * their holders still run, and the reconcile that follows must not start the same image twice here.
 */
export class RedisDetectionLocks implements DetectionLocks {
  /** lock key → this process's holder (token) and when its hold ends, as in Redis */
  private readonly local = new Map<string, { token: string; until: number }>();

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async tryAcquire(imageKey: string, ttlMs: number): Promise<LockRelease | null> {
    const key = `${this.keyPrefix}:detector:lock:${createHash('sha256').update(imageKey).digest('hex').slice(0, 40)}`;
    const token = randomUUID();
    const mine = this.local.get(key);
    if (mine && mine.until > Date.now()) return null;
    this.local.set(key, { token, until: Date.now() + ttlMs });
    const forget = () => {
      if (this.local.get(key)?.token === token) this.local.delete(key);
    };
    let ok: string | null;
    try {
      ok = await this.redis.set(key, token, 'PX', ttlMs, 'NX');
    } catch (err) {
      forget();
      throw new RelabelError('DEPENDENCY_UNAVAILABLE', 'Redis is unavailable; cannot lock the image for detection', undefined, { cause: err });
    }
    if (ok !== 'OK') {
      forget();
      return null;
    }
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      forget();
      await this.redis.eval(RELEASE_SCRIPT, 1, key, token);
    };
  }
}
