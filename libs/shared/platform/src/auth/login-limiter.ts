import { createHash } from 'crypto';
import type { Redis } from 'ioredis';
import { RelabelError } from '@relabel/contracts';

/** Failed logins allowed per window: per account name, and per client address. */
export const LOGIN_LIMITS = { perName: 5, perAddress: 20, windowMs: 15 * 60 * 1000 } as const;

/**
 * Counts failed logins in Redis (shared by every service, so spreading attempts over the four ports
 * gains nothing) in fixed windows that start at the first failure. Unknown names are counted exactly
 * like known ones, so the limiter's answers reveal no more than the login's.
 */
export class LoginLimiter {
  constructor(private readonly redis: Redis, private readonly keyPrefix: string) {}

  /** Refuses with AUTH_RATE_LIMITED (Retry-After in `details.retryAfterSeconds`) while a limit is reached. */
  async check(input: { name?: string; address: string }): Promise<void> {
    for (const [key, limit] of this.keys(input)) {
      const [count, ttl] = await Promise.all([this.redis.get(key), this.redis.pttl(key)]);
      if (Number(count ?? 0) >= limit) {
        const retryAfterSeconds = Math.max(1, Math.ceil(ttl / 1000));
        throw new RelabelError('AUTH_RATE_LIMITED', `too many failed logins; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
      }
    }
  }

  async failed(input: { name?: string; address: string }): Promise<void> {
    for (const [key] of this.keys(input)) {
      await this.redis.multi().incr(key).pexpire(key, LOGIN_LIMITS.windowMs, 'NX').exec();
    }
  }

  /** A successful login clears the name's count (not the address's: one right password must not reset a spray). */
  async succeeded(name: string): Promise<void> {
    await this.redis.del(this.nameKey(name));
  }

  private keys(input: { name?: string; address: string }): Array<[string, number]> {
    const keys: Array<[string, number]> = [[`${this.keyPrefix}:auth:login-fail:addr:${input.address}`, LOGIN_LIMITS.perAddress]];
    if (input.name !== undefined) keys.push([this.nameKey(input.name), LOGIN_LIMITS.perName]);
    return keys;
  }

  private nameKey(name: string): string {
    // hashed: the name is whatever the client typed
    return `${this.keyPrefix}:auth:login-fail:name:${createHash('sha256').update(name.toLowerCase()).digest('hex')}`;
  }
}
