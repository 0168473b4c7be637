import type { Redis } from 'ioredis';
import type { IngestionLog, IngestionRecord } from '../domain/ingestion-record';

const KEEP_REJECTIONS = 200;

/**
 * Ingestion outcomes in Redis: the latest per loop (shown by `GET /api/human-loops/:name`) and the
 * recent rejections. Losing them loses only this view — the output files stay in the bucket and
 * the training images are in their folders.
 */
export function createRedisIngestionLog(redis: Redis, keyPrefix: string): IngestionLog {
  const loopKey = (loop: string) => `${keyPrefix}:labeler:ingestion:${loop}`;
  const rejectionsKey = `${keyPrefix}:labeler:rejections`;
  return {
    async record(entry) {
      const json = JSON.stringify(entry);
      const tx = redis.multi();
      if (entry.loopName) tx.set(loopKey(entry.loopName), json);
      if (entry.outcome === 'rejected') tx.lpush(rejectionsKey, json).ltrim(rejectionsKey, 0, KEEP_REJECTIONS - 1);
      await tx.exec();
    },
    async forLoop(loop) {
      const json = await redis.get(loopKey(loop));
      return json ? (JSON.parse(json) as IngestionRecord) : null;
    },
    async recentRejections(limit) {
      const items = await redis.lrange(rejectionsKey, 0, Math.max(0, limit - 1));
      return items.map((json) => JSON.parse(json) as IngestionRecord);
    },
  };
}
