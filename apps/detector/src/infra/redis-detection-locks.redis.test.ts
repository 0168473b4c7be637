import { randomBytes } from 'crypto';
import { closeRedis, createRedis } from '@relabel/platform';
import { cleanupRedisPrefix, TEST_REDIS_URL } from '@relabel/platform/testing';
import { RedisDetectionLocks } from './redis-detection-locks';

describe('RedisDetectionLocks', () => {
  const prefix = `t${randomBytes(5).toString('hex')}`;
  const redis = createRedis(TEST_REDIS_URL);
  afterAll(async () => {
    await cleanupRedisPrefix(prefix);
    await closeRedis(redis);
  });

  it('gives an image to one holder at a time and frees it on release', async () => {
    const locks = new RedisDetectionLocks(redis, prefix);
    const release = await locks.tryAcquire('images_for_detection/a.jpg', 5000);
    expect(release).not.toBeNull();
    expect(await locks.tryAcquire('images_for_detection/a.jpg', 5000)).toBeNull();
    expect(await locks.tryAcquire('images_for_detection/b.jpg', 5000)).not.toBeNull();
    await release!();
    expect(await locks.tryAcquire('images_for_detection/a.jpg', 5000)).not.toBeNull();
  });

  it('expires a lost holder, whose late release then leaves the new holder alone', async () => {
    const locks = new RedisDetectionLocks(redis, prefix);
    const stale = await locks.tryAcquire('images_for_detection/c.jpg', 50);
    await new Promise((r) => setTimeout(r, 120));
    const fresh = await locks.tryAcquire('images_for_detection/c.jpg', 5000);
    expect(fresh).not.toBeNull();
    await stale!();
    expect(await locks.tryAcquire('images_for_detection/c.jpg', 5000)).toBeNull();
  });

  it('after Redis lost its keys, still refuses a second holder in this process while the first one runs', async () => {
    const locks = new RedisDetectionLocks(redis, prefix);
    const first = await locks.tryAcquire('images_for_detection/flushed.jpg', 5000);
    expect(first).not.toBeNull();
    await cleanupRedisPrefix(prefix);
    expect(await locks.tryAcquire('images_for_detection/flushed.jpg', 5000)).toBeNull();
    await first!();
    expect(await locks.tryAcquire('images_for_detection/flushed.jpg', 5000)).not.toBeNull();
  });
});
