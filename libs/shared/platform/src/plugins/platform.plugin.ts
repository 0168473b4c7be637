import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { AppConfig, ServiceName } from '../config/config.schema';
import type { ProviderOverrides } from '../providers/providers';
import { docsPlugin } from '../http/docs';
import { healthPlugin } from './health.plugin';
import { httpErrorsPlugin } from './http-errors.plugin';
import { inboxPlugin } from './inbox.plugin';
import { parametersPlugin } from './parameters.plugin';
import { providersPlugin } from './providers.plugin';
import { pubSubPlugin } from './pubsub.plugin';
import { queuesPlugin } from './queues.plugin';
import { reconcilePlugin } from './reconcile.plugin';
import { redisPlugin } from './redis.plugin';
import { workersPlugin } from './workers.plugin';

export interface PlatformOptions {
  service: ServiceName;
  config: AppConfig;
  /** replace some providers (tests, tools); the rest come from the profile */
  providers?: ProviderOverrides;
}

/**
 * The capabilities every relabel service shares, registered first in each app, one small plugin
 * each (authentication is the next capability, `relabel-auth`, in ../auth/auth.plugin.ts). They start
 * in this order when the app is ready (Redis checked, parameters loaded, inboxes and workers running,
 * then the reconcile) and close in reverse: the reconcile stops, workers drain, inboxes stop, then
 * queues, parameters, pub/sub, Redis and finally the providers.
 */
async function platform(app: FastifyInstance, opts: PlatformOptions): Promise<void> {
  await app
    .register(httpErrorsPlugin)
    .register(providersPlugin, { config: opts.config, providers: opts.providers })
    .register(healthPlugin, { service: opts.service })
    .register(docsPlugin, { service: opts.service })
    .register(redisPlugin)
    .register(pubSubPlugin)
    .register(parametersPlugin)
    .register(queuesPlugin)
    .register(inboxPlugin)
    .register(workersPlugin)
    .register(reconcilePlugin, { service: opts.service });
}

export const platformPlugin = fp(platform, { name: 'relabel-platform', fastify: '5.x' });
