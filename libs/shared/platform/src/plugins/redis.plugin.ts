import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from '@relabel/ports';
import { closeRedis, createRedis } from '../queues/redis';
import { checkEvictionPolicy } from '../reconcile/eviction-policy';

declare module 'fastify' {
  interface FastifyInstance {
    /** the command connection (bounded retries: a request fails fast while Redis is away) */
    redis: Redis;
  }
}

/** The service's Redis command connection, checked for `noeviction` at boot and by `/readyz`. */
async function registerRedis(app: FastifyInstance): Promise<void> {
  const redis = createRedis(app.config.redisUrl, 'command');
  redis.on('error', (err) => app.log.warn({ err: err.message }, 'redis connection error'));
  app.decorate('redis', redis);
  app.readiness.add('redis', async () => {
    await redis.ping();
  });
  // A Redis that may evict keys would lose queued work silently: refused (aws) or warned about first.
  app.addHook('onReady', async () => void (await checkEvictionPolicy(redis, app.config.profile, app.log as unknown as Logger)));
  app.addHook('onClose', async () => closeRedis(redis));
}

export const redisPlugin = fp(registerRedis, {
  name: 'relabel-redis',
  fastify: '5.x',
  decorators: { fastify: ['config', 'readiness'] },
  dependencies: ['relabel-providers', 'relabel-health'],
});
