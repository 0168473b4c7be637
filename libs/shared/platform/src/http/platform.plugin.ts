import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { ObjectCreated, ObjectCreatedSchema, QUEUES, QueueName, objectCreatedJobId, parseWith } from '@relabel/contracts';
import type { EventInbox, Logger, ParameterStore } from '@relabel/ports';
import type { AppConfig, ServiceName } from '../config/config.schema';
import { createProviders } from '../providers/create-providers';
import type { ProviderOverrides, Providers } from '../providers/providers';
import { closeRedis, createRedis } from '../queues/redis';
import { TypedQueue } from '../queues/typed-queue';
import { JobHandlers, WorkerOptions, WorkerRegistry } from '../queues/worker-registry';
import { installDocs } from './docs';
import { installErrorHandler } from './error-handler';
import { installHealthRoutes, Readiness } from './health.routes';
import { createMetrics, installHttpMetrics } from './metrics';
import { MessageHandler, PubSub } from './pubsub';
import { ParametersCache } from '../parameters/parameters-cache';
import { checkEvictionPolicy } from '../reconcile/eviction-policy';
import { Reconciler, ReconcileReason, ReconcileTask } from '../reconcile/reconciler';
import { watchRedisReset } from '../reconcile/redis-reset-watch';
import { requeueObjectCreated, RequeueOutcome } from '../reconcile/requeue';

/** How often the marker that reveals an emptied Redis is looked for (one EXISTS). */
const REDIS_RESET_CHECK_MS = 5000;

export interface PlatformOptions {
  service: ServiceName;
  config: AppConfig;
  /** replace some providers (tests, tools); the rest come from the profile */
  providers?: ProviderOverrides;
}

export interface QueueRegistry {
  get<Q extends QueueName>(name: Q): TypedQueue<Q>;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: AppConfig;
    providers: Providers;
    redis: Redis;
    queues: QueueRegistry;
    workers: { register<Q extends QueueName>(queue: Q, handlers: JobHandlers<Q>, options?: WorkerOptions): void };
    publish(channel: string, message: unknown): Promise<void>;
    subscribe(channel: string, handler: MessageHandler): Promise<void>;
    startInbox(options: { name: string; prefixes: string[]; queue: typeof QUEUES.detection | typeof QUEUES.humanLoopOutput }): void;
    readiness: Readiness;
    /** rebuilds pending work from the object store: tasks run at start, after Redis was emptied or reconnected, and on a slow sweep */
    reconcile: {
      add(name: string, task: ReconcileTask): void;
      trigger(reason: ReconcileReason): Promise<void>;
      /** re-enqueues the object-created job of an object that has no outcome yet (same job id as the inbox's) */
      requeue(queue: typeof QUEUES.detection | typeof QUEUES.humanLoopOutput, event: ObjectCreated): Promise<RequeueOutcome>;
    };
    metrics: { registry: Registry };
    /** the validated operator parameters, refreshed on config.changed and re-read every 4 s (so a lost message still lands within 5 s) */
    parameters: Pick<ParametersCache, 'current' | 'onChange' | 'issues' | 'refresh'>;
  }
}

/**
 * The capabilities every relabel service shares, registered first in each app: config, providers,
 * Redis, typed queues and workers, pub/sub, inboxes, health/readiness/metrics, OpenAPI and the error
 * mapping (authentication is the next capability, `relabel-auth`, in ../auth/auth.plugin.ts). Closing runs in reverse of the data flow: workers drain first, then inboxes, queues,
 * Redis and finally the providers.
 */
async function platform(app: FastifyInstance, opts: PlatformOptions): Promise<void> {
  const { config, service } = opts;
  const logger = app.log as unknown as Logger;
  const metrics = createMetrics(service);
  const redis = createRedis(config.redisUrl, 'command');
  const workerConnection = createRedis(config.redisUrl, 'worker');
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  workerConnection.on('error', (err) => logger.warn({ err: err.message }, 'redis worker connection error'));
  const providers = createProviders(config, { logger }, opts.providers);
  const queues = new Map<QueueName, TypedQueue<QueueName>>();
  const workers = new WorkerRegistry(workerConnection, config.keyPrefix, logger, metrics.observeJob);
  const pubsub = new PubSub(redis, () => createRedis(config.redisUrl, 'subscriber'), config.keyPrefix, logger);
  const inboxes: EventInbox[] = [];
  const pendingInboxes: Array<() => Promise<void>> = [];
  const readiness = new Readiness();
  const reconciler = new Reconciler(logger.child({ component: 'reconcile' }), {
    intervalMs: config.reconcile.intervalMs,
    deferMs: Math.max(config.reconcile.graceMs, 1000),
  });
  const resetWatch = watchRedisReset(redis, logger, {
    key: `${config.keyPrefix}:platform:alive:${service}`,
    checkEveryMs: REDIS_RESET_CHECK_MS,
    onReset: (reason) => void reconciler.trigger(reason),
  });
  // Lazy store access: the parameter store is opened when the cache first reads, not at registration.
  const lazyParameterStore: ParameterStore = {
    getAll: () => providers.parameterStore.getAll(),
    put: (name, value, options) => providers.parameterStore.put(name, value, options),
    history: (options) => providers.parameterStore.history(options),
    watch: (onChange) => providers.parameterStore.watch(onChange),
  };
  const parameters = new ParametersCache({
    store: lazyParameterStore,
    subscribe: (channel, handler) => pubsub.subscribe(channel, handler),
    logger,
  });

  const queueRegistry: QueueRegistry = {
    get<Q extends QueueName>(name: Q): TypedQueue<Q> {
      let queue = queues.get(name);
      if (!queue) {
        queue = new TypedQueue(name, redis, config.keyPrefix) as TypedQueue<QueueName>;
        queue.queue.on('error', (err) => logger.warn({ queue: name, err: err.message }, 'queue error'));
        queues.set(name, queue);
      }
      return queue as unknown as TypedQueue<Q>;
    },
  };

  app.decorate('config', config);
  app.decorate('providers', providers);
  app.decorate('redis', redis);
  app.decorate('queues', queueRegistry);
  app.decorate('workers', { register: (queue, handlers, options) => void workers.register(queue, handlers, options) });
  app.decorate('publish', (channel: string, message: unknown) => pubsub.publish(channel, message));
  app.decorate('subscribe', (channel: string, handler: MessageHandler) => pubsub.subscribe(channel, handler));
  app.decorate('readiness', readiness);
  app.decorate('metrics', { registry: metrics.registry });
  app.decorate('parameters', parameters);
  const startInbox: FastifyInstance['startInbox'] = ({ name, prefixes, queue }) => {
    pendingInboxes.push(async () => {
      const inbox = providers.createInbox(prefixes, name);
      // Both inbox queues share the `object-created` job contract.
      const producer = queueRegistry.get(queue).queue;
      const enqueue = (event: ObjectCreated) =>
        producer.add('object-created', parseWith(ObjectCreatedSchema, event, 'CONTRACT_INVALID_PAYLOAD', 'ObjectCreated event'), {
          jobId: objectCreatedJobId(event),
        });
      await inbox.start(async (event) => {
        await enqueue(event);
      });
      inboxes.push(inbox);
    });
  };
  app.decorate('startInbox', startInbox);
  app.decorate('reconcile', {
    add: (name, task) => reconciler.add(name, task),
    trigger: (reason) => reconciler.trigger(reason),
    requeue: (queue, event) => requeueObjectCreated(queueRegistry.get(queue).queue, event),
  } satisfies FastifyInstance['reconcile']);

  readiness.add('redis', async () => {
    await redis.ping();
  });
  installErrorHandler(app);
  await installDocs(app, service);
  installHttpMetrics(app, metrics.registry);
  installHealthRoutes(app, service, readiness);

  app.addHook('onReady', async () => {
    // A Redis that may evict keys would lose queued work silently: refused (aws) or warned about first.
    await checkEvictionPolicy(redis, config.profile, logger);
    // Parameters first: a job or request must never run on defaults while the store says otherwise.
    await parameters.start();
    workers.start();
    for (const start of pendingInboxes) await start();
    await resetWatch.start();
    // Not awaited: a big bucket must not hold the service back from listening.
    void reconciler.start();
  });

  app.addHook('onClose', async () => {
    resetWatch.stop();
    await reconciler.stop();
    await workers.close();
    await parameters.stop();
    for (const inbox of inboxes) await inbox.stop();
    for (const queue of queues.values()) await queue.close();
    await pubsub.close(closeRedis);
    await closeRedis(workerConnection);
    await closeRedis(redis);
    await providers.close();
  });
}

export const platformPlugin = fp(platform, { name: 'relabel-platform', fastify: '5.x' });
