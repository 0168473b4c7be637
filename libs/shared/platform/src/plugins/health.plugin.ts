import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { ServiceName } from '../config/config.schema';
import type { JobObserver } from '../queues/worker-registry';
import { installHealthRoutes, Readiness } from '../http/health.routes';
import { createMetrics, installHttpMetrics } from '../http/metrics';

declare module 'fastify' {
  interface FastifyInstance {
    readiness: Readiness;
    metrics: { registry: Registry; observeJob: JobObserver };
  }
}

export interface HealthPluginOptions {
  service: ServiceName;
}

/** `/healthz`, `/readyz` (every plugin adds its own readiness check) and Prometheus `/metrics`. */
async function registerHealth(app: FastifyInstance, opts: HealthPluginOptions): Promise<void> {
  const metrics = createMetrics(opts.service);
  const readiness = new Readiness();
  app.decorate('readiness', readiness);
  app.decorate('metrics', metrics);
  installHttpMetrics(app, metrics.registry);
  installHealthRoutes(app, opts.service, readiness);
}

export const healthPlugin = fp(registerHealth, { name: 'relabel-health', fastify: '5.x' });
