import type { Redis } from 'ioredis';
import type { DriftAlarmGuard } from '../domain/drift-alarm-guard';

/** Longer than a notification with its retries; the durable marker takes over after that. */
const CLAIM_TTL_S = 600;

/** DriftAlarmGuard as `SET NX EX` in Redis, shared by every labeler replica. */
export function createRedisDriftAlarmGuard(redis: Redis, keyPrefix: string): DriftAlarmGuard {
  const key = (version: string) => `${keyPrefix}:labeler:drift-alarm:${version}`;
  return {
    async claim(version) {
      return (await redis.set(key(version), '1', 'EX', CLAIM_TTL_S, 'NX')) === 'OK';
    },
    async release(version) {
      await redis.del(key(version));
    },
  };
}
