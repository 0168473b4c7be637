import { randomBytes } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import { AddressInfo, createServer } from 'net';
import IORedis from 'ioredis';
import { loadConfig } from '../config/load-config';
import type { AppConfig } from '../config/config.schema';

export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';
export const TEST_REVIEWER_TOKEN = 'test-reviewer-token-0123456789';

/** A config for tests: temp data dir, unique Redis key prefix, fixed tokens. Call `cleanup()` after. */
export function testConfig(env: Record<string, string> = {}): AppConfig & { cleanup(): Promise<void> } {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'relabel-test-'));
  const keyPrefix = `t${randomBytes(5).toString('hex')}`;
  const config = loadConfig({
    RELABEL_DATA_DIR: dataDir,
    RELABEL_KEY_PREFIX: keyPrefix,
    REDIS_URL: TEST_REDIS_URL,
    RELABEL_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    RELABEL_REVIEWER_TOKEN: TEST_REVIEWER_TOKEN,
    LOG_LEVEL: 'silent',
    ...env,
  });
  return {
    ...config,
    async cleanup() {
      await cleanupRedisPrefix(keyPrefix);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Deletes every Redis key under `prefix:` (BullMQ queues, locks, caches of one test). */
export async function cleanupRedisPrefix(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** A TCP port free on 127.0.0.1 right now, for tests that start real servers or processes. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
export * from './auth';
