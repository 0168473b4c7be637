import IORedis, { Redis, RedisOptions } from 'ioredis';

/**
 * Redis connections. Workers and subscribers must have `maxRetriesPerRequest: null` (BullMQ blocks
 * on them and must survive a Redis restart by waiting, not failing); command connections keep a
 * bounded retry so HTTP requests fail fast with 503 while Redis is away.
 */
export function createRedis(url: string, role: 'command' | 'worker' | 'subscriber' = 'command', extra: RedisOptions = {}): Redis {
  return new IORedis(url, {
    maxRetriesPerRequest: role === 'command' ? 3 : null,
    enableReadyCheck: true,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...extra,
  });
}

/** Quit politely; fall back to disconnect when the server is gone. */
export async function closeRedis(conn: Redis): Promise<void> {
  try {
    if (conn.status === 'end') return;
    await Promise.race([conn.quit(), new Promise((r) => setTimeout(r, 1000))]);
  } catch {
    // the connection is already unusable; disconnecting is all that is left to do
  }
  conn.disconnect();
}
