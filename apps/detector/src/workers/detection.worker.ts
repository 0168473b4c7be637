import type { FastifyInstance } from 'fastify';
import { QUEUES, isErrorCode } from '@relabel/contracts';
import { delayJob } from '@relabel/platform';

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
      'object-created': async (event) => {
        const done = detection.metrics.start('event');
        try {
          const result = await detection.detectObject(event);
          done(result.outcome === 'detected' ? result.status : result.outcome);
          return result;
        } catch (err) {
          if (isErrorCode(err, 'DETECTION_IN_PROGRESS')) {
            done('busy');
            // Waiting is not failing: a delayed job keeps all its attempts, however long the holder
            // takes (its lock expires after a crash), so the image is never given up on.
            return delayJob(IN_PROGRESS_DELAY_MS, (err as Error).message);
          }
          done('error');
          throw err;
        }
      },
    },
    { concurrency: app.config.detector.concurrency * 2 },
  );
}
