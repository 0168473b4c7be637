import { isErrorCode, RelabelError } from '@relabel/contracts';
import type { Logger, ObjectStore } from '@relabel/ports';
import { imageKeyForDetectionId } from '../domain/detection-id';
import type { DetectionLocks } from '../domain/detection-locks';
import { DetectionView, readDetectionRecord, toView, writeDetectionRecord } from '../domain/detection-record';
import { captureForReview, CaptureDeps } from './capture-for-review.use-case';

export interface RequestReviewDeps extends CaptureDeps {
  store: Pick<ObjectStore, 'get' | 'put'>;
  locks: DetectionLocks;
  lockTtlMs: number;
  logger: Logger;
}

/**
 * `POST /detections/:id/review` (operator): sends any detection to review. A detection that is
 * already in review is answered as it is (idempotent); the image is read back so its loop is the
 * one of its content, and the record is updated under the image's detection lock, so a concurrent
 * detection of the same key cannot interleave with it.
 */
export async function requestReview(deps: RequestReviewDeps, id: string): Promise<DetectionView> {
  const imageKey = imageKeyForDetectionId(id);
  const notFound = () => new RelabelError('DETECTION_NOT_FOUND', `no detection with id ${JSON.stringify(id.slice(0, 100))}`);
  if (!imageKey) throw notFound();
  const release = await deps.locks.tryAcquire(imageKey, deps.lockTtlMs);
  if (!release) throw new RelabelError('DETECTION_IN_PROGRESS', `${imageKey} is being detected right now; ask again in a moment`);
  try {
    const record = await readDetectionRecord(deps.store, imageKey);
    if (!record) throw notFound();
    if (record.humanLoop) return toView(record);
    if (record.status === 'skipped') {
      throw new RelabelError('DETECTION_NOT_REVIEWABLE', `${imageKey} was skipped (${record.reason?.code ?? 'not an image'}); there is nothing to review`);
    }
    let content: Buffer;
    try {
      const object = await deps.store.get(imageKey);
      if (object.eTag !== record.eTag) {
        throw new RelabelError('DETECTION_IN_PROGRESS', `${imageKey} changed since this detection; its new version is detected on its own`);
      }
      content = object.body;
    } catch (err) {
      if (isErrorCode(err, 'STORE_NOT_FOUND')) throw new RelabelError('DETECTION_NOT_REVIEWABLE', `the image ${imageKey} no longer exists`);
      throw err;
    }
    const captured = await captureForReview(deps, { imageKey, content, labels: record.labels, reason: 'manual' });
    const updated = { ...record, humanLoop: captured.humanLoop, review: captured.review };
    await writeDetectionRecord(deps.store, updated);
    deps.logger.info({ imageKey, loop: captured.humanLoop?.name, outcome: captured.review.outcome }, 'detection sent to review by the operator');
    return toView(updated);
  } finally {
    await release().catch((err: Error) => deps.logger.warn({ imageKey, err: err.message }, 'cannot release the detection lock'));
  }
}
