import type { Redis } from 'ioredis';
import type { Logger } from '@relabel/ports';

export interface RedisResetWatchOptions {
  /** the marker key; one per service, so every service notices a flush on its own */
  key: string;
  checkEveryMs: number;
  onReset(reason: 'redis-reset' | 'reconnect'): void;
}

/**
 * Notices that Redis lost what this service put there: a marker key is written at start and
 * looked for every few seconds (one EXISTS). Missing means a flush, an eviction or a failover to an
 * empty replica — the queued work is gone and must be rebuilt. A reconnect is reported too: a
 * failover can lose the last writes even when the marker survived.
 */
export function watchRedisReset(redis: Redis, logger: Logger, opts: RedisResetWatchOptions): { start(): Promise<void>; stop(): void } {
  let timer: NodeJS.Timeout | null = null;
  let wasReady = redis.status === 'ready';
  const onReady = () => {
    if (wasReady) {
      logger.warn({ key: opts.key }, 'redis reconnected; reconciling pending work');
      opts.onReset('reconnect');
    }
    wasReady = true;
  };
  const check = async () => {
    // SET NX both tests and re-arms the marker in one command.
    const created = await redis.set(opts.key, new Date().toISOString(), 'NX');
    if (created === 'OK') {
      logger.warn({ key: opts.key }, 'redis came back empty (flushed, evicted or failed over); reconciling pending work');
      opts.onReset('redis-reset');
    }
  };
  return {
    async start() {
      // Redis may be down at boot: then the first check finds no marker and reconciles, which is right.
      await redis.set(opts.key, new Date().toISOString()).catch((err: Error) => logger.warn({ err: err.message }, 'cannot write the redis reset marker yet'));
      redis.on('ready', onReady);
      timer = setInterval(() => void check().catch((err: Error) => logger.debug({ err: err.message }, 'redis reset check failed')), opts.checkEveryMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
      redis.off('ready', onReady);
    },
  };
}
