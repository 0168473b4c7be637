import { randomUUID } from 'crypto';
import { PREFIX } from '@relabel/contracts';
import type { ObjectStore } from '@relabel/ports';
import { DetectionView, toView } from '../detection/detection-record';
import { inferWithLiveModel } from '../detection/live-inference';
import { validateImage } from '../image/image-validation';
import { InferenceDeps, completeDetection } from './complete-detection';

export interface SubmitImageDeps extends InferenceDeps {
  store: Pick<ObjectStore, 'put' | 'delete'>;
}

/**
 * POST /detect: validate and run the model first (an invalid image never reaches the bucket), then
 * store the image under `images_for_detection/` and complete the detection under the image's lock,
 * so the inbox event that the stored image raises finds the finished result and does nothing.
 * If anything fails after the image was stored, the image is removed again: no half-done trail.
 */
export async function submitImage(deps: SubmitImageDeps, bytes: Buffer, options: { maxResults: number }): Promise<DetectionView> {
  const { image, inference } = await deps.limiter.run(async () => {
    const valid = await validateImage(bytes, deps.limits);
    return { image: valid, inference: await inferWithLiveModel(deps, valid.bytes, options.maxResults) };
  });
  const imageKey = `${PREFIX.forDetection}api-${randomUUID()}${image.extension}`;
  // A fresh random key: nobody else can hold its lock yet; taking it fences off the inbox worker.
  const release = await deps.locks.tryAcquire(imageKey, deps.lockTtlMs);
  try {
    const { eTag } = await deps.store.put(imageKey, image.bytes, { contentType: image.contentType });
    let record;
    try {
      record = await completeDetection(deps, { imageKey, eTag, source: 'api', content: image.bytes }, inference);
    } catch (err) {
      await deps.store.delete(imageKey).catch((cleanupErr: Error) => {
        deps.logger.error({ imageKey, err: cleanupErr.message }, 'cannot remove the image of a failed detection');
      });
      throw err;
    }
    // A failed notification does not fail the request: the detection stands (`notified: false`)
    // and the image's own inbox event sends it.
    return toView(record);
  } finally {
    // An unreleased lock only expires later; it must not turn a finished detection into an error.
    await release?.().catch((err: Error) => deps.logger.warn({ imageKey, err: err.message }, 'cannot release the detection lock'));
  }
}
