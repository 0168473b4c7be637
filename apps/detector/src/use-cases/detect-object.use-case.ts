import { ObjectCreated, RelabelError, hasImageExtension, isDetectionInputKey, isErrorCode, isRelabelError } from '@relabel/contracts';
import type { ObjectStore } from '@relabel/ports';
import { detectionIdFor } from '../domain/detection-id';
import { DetectionRecord, readDetectionRecord } from '../domain/detection-record';
import { inferWithLiveModel } from './infer-live-model.use-case';
import { validateImage } from '../domain/image-validation';
import { InferenceDeps, completeDetection, notifyConsumer, publishDetection } from './complete-detection.use-case';

export interface DetectObjectDeps extends InferenceDeps {
  store: Pick<ObjectStore, 'put' | 'get'>;
  maxResults: number;
}

export type DetectObjectOutcome =
  | { outcome: 'detected' | 'skipped'; id: string; status: DetectionRecord['status']; reason?: string }
  | { outcome: 'duplicate'; id: string }
  | { outcome: 'ignored'; reason: string };

/**
 * An object-created event under `images_for_detection/`: detect it once per content version.
 * The result file's eTag is the durable de-duplication (checked before reading the image, so a
 * duplicate costs one small read); the per-image lock keeps a concurrent POST or a parallel
 * duplicate job from detecting the same version twice. Objects that are not usable images get a
 * `skipped` result with the reason, and the job completes: they are never retried.
 */
export async function detectObject(deps: DetectObjectDeps, event: ObjectCreated): Promise<DetectObjectOutcome> {
  if (!isDetectionInputKey(event.key)) return { outcome: 'ignored', reason: `${event.key} is not under images_for_detection/` };
  const id = detectionIdFor(event.key);
  const known = await readDetectionRecord(deps.store, event.key);
  if (known?.eTag === event.eTag && known.notified) return { outcome: 'duplicate', id };

  const release = await deps.locks.tryAcquire(event.key, deps.lockTtlMs);
  if (!release) {
    throw new RelabelError('DETECTION_IN_PROGRESS', `${event.key} is being detected by another request; retrying later`);
  }
  try {
    // The holder we waited for may have just finished this very version.
    const current = await readDetectionRecord(deps.store, event.key);
    if (current?.eTag === event.eTag) return await finishDuplicate(deps, current);
    if (!hasImageExtension(event.key)) return await skip(deps, event, 'IMAGE_UNSUPPORTED_TYPE', 'only .jpg, .jpeg and .png objects are images');
    if (event.size > deps.limits.maxBytes) {
      return await skip(deps, event, 'IMAGE_TOO_LARGE', `the object is ${event.size} bytes; the limit is ${deps.limits.maxBytes}`);
    }
    let object;
    try {
      object = await deps.store.get(event.key);
    } catch (err) {
      if (isErrorCode(err, 'STORE_NOT_FOUND')) return { outcome: 'ignored', reason: `${event.key} was deleted before it was detected` };
      throw err;
    }
    // Detect what is stored now: if it was overwritten since the event, its own event will find this result.
    const imageVersion = { imageKey: event.key, eTag: object.eTag, source: 'event' as const, content: object.body };
    if (current?.eTag === object.eTag) return await finishDuplicate(deps, current);
    let inference;
    try {
      inference = await deps.limiter.run(async () => {
        const image = await validateImage(object.body, deps.limits);
        return inferWithLiveModel(deps, image.bytes, deps.maxResults);
      });
    } catch (err) {
      if (isRelabelError(err) && err.code.startsWith('IMAGE_')) {
        return await skip(deps, { ...event, eTag: object.eTag }, err.code, err.message);
      }
      throw err;
    }
    const record = await completeDetection(deps, imageVersion, inference);
    if (!record.notified) throw notificationPending(record);
    return { outcome: 'detected', id, status: record.status };
  } finally {
    await release().catch((err: Error) => deps.logger.warn({ key: event.key, err: err.message }, 'cannot release the detection lock'));
  }
}

async function finishDuplicate(deps: DetectObjectDeps, record: DetectionRecord): Promise<DetectObjectOutcome> {
  if (!record.notified) await notifyConsumer(deps, record);
  return { outcome: 'duplicate', id: record.id };
}

async function skip(
  deps: DetectObjectDeps,
  event: Pick<ObjectCreated, 'key' | 'eTag'>,
  code: string,
  message: string,
): Promise<DetectObjectOutcome> {
  deps.logger.info({ key: event.key, code, reason: message }, 'object skipped, not an image that can be detected');
  const record: DetectionRecord = {
    id: detectionIdFor(event.key),
    imageKey: event.key,
    eTag: event.eTag,
    modelVersion: null,
    labels: [],
    threshold: deps.parameters.current()['Minimum-Label-Detection-Confidence'],
    passed: false,
    humanLoop: null,
    status: 'skipped',
    reason: { code, message },
    source: 'event',
    detectedAt: (deps.now?.() ?? new Date()).toISOString(),
    notified: false,
  };
  if (!(await publishDetection(deps, record)).notified) throw notificationPending(record);
  return { outcome: 'skipped', id: record.id, status: 'skipped', reason: `${code}: ${message}` };
}

/** The result stands; the job is retried so its next attempt only sends the notification. */
function notificationPending(record: DetectionRecord): RelabelError {
  return new RelabelError('DEPENDENCY_UNAVAILABLE', `${record.imageKey} was detected but the consumer notification failed; retrying it`);
}
