import fp from 'fastify-plugin';
import { Counter, Gauge } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '@relabel/ports';
import { ParametersCache, publishConfigChanged } from '@relabel/platform';
import { InvalidValueMonitor } from '../domain/invalid-values';
import type { ParameterAuthority } from '../domain/parameter-authority';
import { RecentErrors } from '../domain/recent-errors';
import { StoreReadAlarm } from '../domain/store-read-alarm';
import { syncParameters } from '../use-cases/sync-parameters.use-case';

declare module 'fastify' {
  interface FastifyInstance {
    authority: ParameterAuthority;
  }
}

/** Full re-read of the store, the safety net for a missed change notice (docs/architecture.md, flow A). */
const SYNC_EVERY_MS = 4000;

/**
 * Makes config-watcher the authority over the operator parameters: it follows the store's own change
 * notices (file edits locally, EventBridge events on aws) plus a periodic full read, validates, tells
 * the operator about values it ignores, and publishes `config.changed` whenever a value in force
 * changes, so every other service's cache re-reads within the 5 s promise.
 */
async function parameterAuthority(app: FastifyInstance): Promise<void> {
  const logger = app.log as unknown as Logger;
  const store = app.providers.parameterStore;
  const errors = new RecentErrors();
  // the sync timer below drives the re-reads; the cache's own timer is only a distant backstop
  const cache = new ParametersCache({ store, logger, refreshMs: 60_000 });
  const authority: ParameterAuthority = { cache, invalid: new InvalidValueMonitor(), storeAlarm: new StoreReadAlarm(), errors, notifier: app.providers.notifier, logger };
  app.decorate('authority', authority);

  const published = new Counter({ name: 'relabel_config_changed_published_total', help: 'config.changed messages published', registers: [app.metrics.registry] });
  new Gauge({
    name: 'relabel_parameter_invalid_values',
    help: 'stored parameter values ignored because they are invalid or missing',
    registers: [app.metrics.registry],
    collect() {
      this.set(authority.invalid.current().length);
    },
  });

  cache.onChange(async (_next, names) => {
    try {
      await publishConfigChanged((channel, message) => app.publish(channel, message), { names, source: 'config-watcher' });
      published.inc();
    } catch (err) {
      // the other services still pick the change up on their periodic re-read
      errors.record('config.changed publish', err);
      throw err;
    }
  });

  const sync = () =>
    syncParameters(authority).catch((err) => {
      errors.record('parameter sync', err);
      logger.error({ err: (err as Error).message }, 'parameter sync failed');
    });

  let stopWatching: (() => Promise<void>) | undefined;
  let timer: NodeJS.Timeout | undefined;
  app.readiness.add('parameter-store', async () => {
    await store.getAll();
  });
  app.addHook('onReady', async () => {
    await cache.start();
    await sync();
    stopWatching = await store.watch((names) => {
      logger.info({ names }, 'the parameter store reports a change');
      void sync();
    });
    timer = setInterval(() => void sync(), SYNC_EVERY_MS);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    await stopWatching?.();
    await cache.stop();
  });
}

export const parameterAuthorityPlugin = fp(parameterAuthority, { name: 'config-watcher-parameters', dependencies: ['relabel-platform'] });
