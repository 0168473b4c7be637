import type { FastifyInstance } from 'fastify';
import { QUEUES, isRelabelError } from '@relabel/contracts';

/**
 * Object-created jobs for `images_for_detection/`: one use case call per event. The job's return
 * value (detected / duplicate / skipped with its reason / ignored) is what BullMQ records.
 * More jobs than inference slots run at once so reading and writing objects overlaps inference;
 * the inference limiter still bounds the CPU work.
 */
export function registerDetectionWorker(app: FastifyInstance): void {
  const { detection } = app;
  app.workers.register(
    QUEUES.detection,
    {
      'object-created': async (event) => {
        const done = detection.metrics.start('event');
        try {
          const result = await detection.detectObject(event);
          done(result.outcome === 'detected' ? result.status : result.outcome);
          return result;
        } catch (err) {
          done(isRelabelError(err) && err.code === 'DETECTION_IN_PROGRESS' ? 'busy' : 'error');
          throw err;
        }
      },
    },
    { concurrency: app.config.detector.concurrency * 2 },
  );
}
