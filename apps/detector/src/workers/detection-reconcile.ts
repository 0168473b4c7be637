import type { FastifyInstance } from 'fastify';
import { QUEUES } from '@relabel/contracts';
import { reconcileDetections } from '../use-cases/reconcile-detections.use-case';

/**
 * Images with no result for their current version are found in the bucket and put back on the
 * detection queue — at start, after Redis lost its jobs, and on the platform's slow sweep.
 */
export function registerDetectionReconcile(app: FastifyInstance): void {
  app.reconcile.add('detections', () =>
    reconcileDetections({
      store: app.providers.objectStore,
      requeue: (event) => app.reconcile.requeue(QUEUES.detection, event),
      graceMs: app.config.reconcile.graceMs,
    }),
  );
}
