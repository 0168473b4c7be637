import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { QueueName } from '@relabel/contracts';
import type { Logger } from '@relabel/ports';
import { TypedQueue } from '../queues/typed-queue';

export interface QueueRegistry {
  get<Q extends QueueName>(name: Q): TypedQueue<Q>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** producers checked against the queue contract, one per queue, made on first use */
    queues: QueueRegistry;
  }
}

/** Typed producers on the command connection; closed after the workers and inboxes that feed or drain them. */
async function registerQueues(app: FastifyInstance): Promise<void> {
  const logger = app.log as unknown as Logger;
  const queues = new Map<QueueName, TypedQueue<QueueName>>();
  const registry: QueueRegistry = {
    get<Q extends QueueName>(name: Q): TypedQueue<Q> {
      let queue = queues.get(name);
      if (!queue) {
        queue = new TypedQueue(name, app.redis, app.config.keyPrefix) as TypedQueue<QueueName>;
        queue.queue.on('error', (err) => logger.warn({ queue: name, err: err.message }, 'queue error'));
        queues.set(name, queue);
      }
      return queue as unknown as TypedQueue<Q>;
    },
  };
  app.decorate('queues', registry);
  app.addHook('onClose', async () => {
    for (const queue of queues.values()) await queue.close();
  });
}

export const queuesPlugin = fp(registerQueues, { name: 'relabel-queues', fastify: '5.x', dependencies: ['relabel-redis'] });
