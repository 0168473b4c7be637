import { randomBytes } from 'crypto';
import IORedis from 'ioredis';
import { cleanupRedisPrefix, TEST_REDIS_URL } from '@relabel/platform/testing';
import { RedisReviewCap } from './redis-review-cap';

describe('RedisReviewCap (real Redis)', () => {
  const prefix = `t${randomBytes(5).toString('hex')}`;
  const redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  afterAll(async () => {
    await cleanupRedisPrefix(prefix);
    redis.disconnect();
  });

  it('hands out exactly the cap per clock hour across replicas racing for it, and takes slots back', async () => {
    const replicas = [new RedisReviewCap(redis, prefix, 3), new RedisReviewCap(redis, prefix, 3)];
    const at = new Date('2026-12-01T10:15:00Z');
    const taken = await Promise.all(Array.from({ length: 10 }, (_, i) => replicas[i % 2]!.tryTake(at)));
    expect(taken.filter(Boolean)).toHaveLength(3);
    expect(await replicas[0]!.tryTake(new Date('2026-12-01T10:59:59Z'))).toBe(false);
    await replicas[1]!.giveBack(at);
    expect(await replicas[0]!.tryTake(at)).toBe(true);
    expect(await replicas[0]!.tryTake(at)).toBe(false);
    // the next hour starts from zero; its counter expires on its own
    expect(await replicas[0]!.tryTake(new Date('2026-12-01T11:00:00Z'))).toBe(true);
    expect(await redis.ttl(`${prefix}:detector:review-cap:2026-12-01T11`)).toBeGreaterThan(3600);
  });
});
