import type { FastifyInstance } from 'fastify';
import { DelayedError } from 'bullmq';
import { QUEUES, isErrorCode } from '@relabel/contracts';

/** How long a job waits when another request holds its image (a POST finishing, a parallel duplicate). */
const IN_PROGRESS_DELAY_MS = 1000;

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
      'object-created': async (event, job) => {
        const done = detection.metrics.start('event');
        try {
          const result = await detection.detectObject(event);
          done(result.outcome === 'detected' ? result.status : result.outcome);
          return result;
        } catch (err) {
          if (isErrorCode(err, 'DETECTION_IN_PROGRESS') && job.token) {
            done('busy');
            // Waiting is not failing: a delayed job keeps all its attempts, however long the holder
            // takes (its lock expires after a crash), so the image is never given up on.
            await job.moveToDelayed(Date.now() + IN_PROGRESS_DELAY_MS, job.token);
            throw new DelayedError();
          }
          done('error');
          throw err;
        }
      },
    },
    { concurrency: app.config.detector.concurrency * 2 },
  );
}
