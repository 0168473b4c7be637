import { randomBytes } from 'crypto';
import IORedis from 'ioredis';
import { cleanupRedisPrefix, TEST_REDIS_URL } from '@relabel/platform/testing';
import { RedisTrainingLock } from './training-lock';

jest.setTimeout(20_000);

describe('RedisTrainingLock (real Redis)', () => {
  const prefix = `trlock${randomBytes(4).toString('hex')}`;
  const redis = new IORedis(TEST_REDIS_URL);
  const lock = (ttl = 5000) => new RedisTrainingLock(redis, `${prefix}:trainer:slot`, ttl);

  afterAll(async () => {
    await cleanupRedisPrefix(prefix);
    redis.disconnect();
  });
  afterEach(() => redis.del(`${prefix}:trainer:slot`));

  it('lets exactly one of many simultaneous contenders in', async () => {
    const l = lock();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => l.acquire(`run-${i}`)));
    const winners = results.filter((r) => r.acquired);
    expect(winners).toHaveLength(1);
    const holder = await l.holder();
    expect(results.filter((r) => !r.acquired)).toEqual(Array.from({ length: 19 }, () => ({ acquired: false, holder })));
  });

  it('is re-entrant for its owner and released only by its owner', async () => {
    const l = lock();
    expect(await l.acquire('a')).toEqual({ acquired: true });
    expect(await l.acquire('a')).toEqual({ acquired: true });
    await l.release('b');
    expect(await l.holder()).toBe('a');
    await l.release('a');
    expect(await l.holder()).toBeNull();
    expect(await l.acquire('b')).toEqual({ acquired: true });
  });

  it('expires, and renewing extends it', async () => {
    const l = lock(300);
    await l.acquire('a');
    expect(await redis.pttl(`${prefix}:trainer:slot`)).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(await l.renew('a')).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(await l.holder()).toBe('a');
    expect(await l.renew('b')).toBe(false);
    await new Promise((r) => setTimeout(r, 400));
    expect(await l.holder()).toBeNull();
    expect(await l.renew('b')).toBe(true);
  });
});
