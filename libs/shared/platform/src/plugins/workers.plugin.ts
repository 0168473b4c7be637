import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { QueueName } from '@relabel/contracts';
import type { Logger } from '@relabel/ports';
import { closeRedis, createRedis } from '../queues/redis';
import { JobHandlers, WorkerOptions, WorkerRegistry } from '../queues/worker-registry';

declare module 'fastify' {
  interface FastifyInstance {
    /** one worker per queue, with a handler for every job of its contract; they start when the app is ready */
    workers: { register<Q extends QueueName>(queue: Q, handlers: JobHandlers<Q>, options?: WorkerOptions): void };
  }
}

/** The queue workers on their own blocking connection; on close they drain first. */
async function registerWorkers(app: FastifyInstance): Promise<void> {
  const logger = app.log as unknown as Logger;
  const connection = createRedis(app.config.redisUrl, 'worker');
  connection.on('error', (err) => logger.warn({ err: err.message }, 'redis worker connection error'));
  const workers = new WorkerRegistry(connection, app.config.keyPrefix, logger, app.metrics.observeJob);
  app.decorate('workers', { register: (queue, handlers, options) => void workers.register(queue, handlers, options) });
  app.addHook('onReady', async () => workers.start());
  app.addHook('onClose', async () => {
    await workers.close();
    await closeRedis(connection);
  });
}

export const workersPlugin = fp(registerWorkers, { name: 'relabel-workers', fastify: '5.x', dependencies: ['relabel-parameters', 'relabel-queues'] });
