import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '@relabel/ports';
import { closeRedis, createRedis } from '../queues/redis';
import { MessageHandler, PubSub } from '../http/pubsub';

declare module 'fastify' {
  interface FastifyInstance {
    publish(channel: string, message: unknown): Promise<void>;
    subscribe(channel: string, handler: MessageHandler): Promise<void>;
  }
}

/** Redis pub/sub under the key prefix (hints only: receivers re-read durable state anyway). */
async function registerPubSub(app: FastifyInstance): Promise<void> {
  const { config } = app;
  const pubsub = new PubSub(app.redis, () => createRedis(config.redisUrl, 'subscriber'), config.keyPrefix, app.log as unknown as Logger);
  app.decorate('publish', (channel: string, message: unknown) => pubsub.publish(channel, message));
  app.decorate('subscribe', (channel: string, handler: MessageHandler) => pubsub.subscribe(channel, handler));
  app.addHook('onClose', async () => pubsub.close(closeRedis));
}

export const pubSubPlugin = fp(registerPubSub, { name: 'relabel-pubsub', fastify: '5.x', dependencies: ['relabel-redis'] });
