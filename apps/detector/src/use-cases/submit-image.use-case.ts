import type { ObjectCreated } from '@relabel/contracts';
import type { ObjectStore } from '@relabel/ports';
import { DetectionView, toView } from '../domain/detection-record';
import { inferWithLiveModel } from './infer-live-model.use-case';
import { uploadedImageKey } from '../domain/uploaded-image-key';
import { validateImage } from '../domain/image-validation';
import { InferenceDeps, completeDetection } from './complete-detection.use-case';

export interface SubmitImageDeps extends InferenceDeps {
  store: Pick<ObjectStore, 'put' | 'delete' | 'bucket'>;
  /** queues the image's object-created job (the one an inbox would send), to finish a failed notification */
  enqueueObjectCreated(event: ObjectCreated): Promise<unknown>;
}

/**
 * POST /detect: validate and run the model first (an invalid image never reaches the bucket), then
 * store the image under `images_for_detection/` and complete the detection under the image's lock:
 * the stored image and its result file are the durable truth, written once each. The inbox skips
 * the stored image's own event (`isUploadedImageKey`), so no second job runs; only when the
 * consumer notification failed is the image's object-created job queued, to send it later.
 * If anything fails after the image was stored, the image is removed again: no half-done trail.
 */
export async function submitImage(deps: SubmitImageDeps, bytes: Buffer, options: { maxResults: number }): Promise<DetectionView> {
  const { image, inference } = await deps.limiter.run(async () => {
    const valid = await validateImage(bytes, deps.limits);
    return { image: valid, inference: await inferWithLiveModel(deps, valid.bytes, options.maxResults) };
  });
  const imageKey = uploadedImageKey(image.extension);
  // A fresh random key: nobody else can hold its lock yet; taking it fences off a reconcile's job.
  const release = await deps.locks.tryAcquire(imageKey, deps.lockTtlMs);
  let record;
  try {
    const { eTag } = await deps.store.put(imageKey, image.bytes, { contentType: image.contentType });
    try {
      record = await completeDetection(deps, { imageKey, eTag, source: 'api', content: image.bytes }, inference);
    } catch (err) {
      await deps.store.delete(imageKey).catch((cleanupErr: Error) => {
        deps.logger.error({ imageKey, err: cleanupErr.message }, 'cannot remove the image of a failed detection');
      });
      throw err;
    }
  } finally {
    // An unreleased lock only expires later; it must not turn a finished detection into an error.
    await release?.().catch((err: Error) => deps.logger.warn({ imageKey, err: err.message }, 'cannot release the detection lock'));
  }
  // A failed notification does not fail the request: the detection stands (`notified: false`) and
  // the image's job sends it (after the lock is free, so it need not wait for it).
  if (!record.notified) await finishLater(deps, record, image.bytes.length);
  return toView(record);
}

async function finishLater(deps: SubmitImageDeps, record: { imageKey: string; eTag: string; detectedAt: string }, size: number): Promise<void> {
  const event: ObjectCreated = { bucket: deps.store.bucket, key: record.imageKey, eTag: record.eTag, size, eventTime: record.detectedAt };
  await deps.enqueueObjectCreated(event).catch((err: Error) => {
    deps.logger.error({ imageKey: record.imageKey, err: err.message }, 'cannot queue the notification retry of a detection');
  });
}
