import { createHash } from 'crypto';
import { detectionResultKey, type Parameters } from '@relabel/contracts';
import type { Logger, ModelService, Notifier, ObjectStore } from '@relabel/ports';
import type { ActiveModelSource } from '../infra/active-model';
import type { DetectionLocks } from '../domain/detection-locks';
import type { InferenceLimiter } from '../domain/inference-limiter';
import type { ImageLimits } from '../domain/image-validation';
import { detectionIdFor } from '../domain/detection-id';
import { DetectionRecord, toView, writeDetectionRecord } from '../domain/detection-record';
import { decideReview, Inference } from '../domain/review-routing';
import { captureForReview, CaptureDeps } from './capture-for-review.use-case';

export interface CompletionDeps extends CaptureDeps {
  store: Pick<ObjectStore, 'put'>;
  notifier: Notifier;
  parameters: { current(): Parameters };
  logger: Logger;
  now?: () => Date;
}

/** What both intake paths (HTTP and events) need to validate an image and run the live model under its lock. */
export interface InferenceDeps extends CompletionDeps {
  modelService: Pick<ModelService, 'detect'>;
  activeModel: ActiveModelSource;
  limiter: Pick<InferenceLimiter, 'run'>;
  locks: DetectionLocks;
  limits: ImageLimits;
  lockTtlMs: number;
}

export interface DetectedImage {
  imageKey: string;
  eTag: string;
  source: 'api' | 'event';
  /** the image bytes: the human loop is named after them */
  content: Buffer;
}

/**
 * The side effects after inference, each idempotent for one image version: the human loop (named
 * after the image content, see capture-for-review.use-case.ts), the consumer notification (dedupeId from
 * key + eTag) and the result file — written once, last (see `publishDetection`).
 */
export async function completeDetection(deps: CompletionDeps, image: DetectedImage, inference: Inference): Promise<DetectionRecord> {
  const decision = decideReview(deps.parameters.current(), inference, image);
  const captured = decision.reason
    ? await captureForReview(deps, { imageKey: image.imageKey, content: image.content, labels: inference.labels, reason: decision.reason })
    : null;
  const record: DetectionRecord = {
    id: detectionIdFor(image.imageKey),
    imageKey: image.imageKey,
    eTag: image.eTag,
    modelVersion: inference.modelVersion,
    labels: inference.labels,
    threshold: decision.threshold,
    passed: decision.passed,
    humanLoop: captured?.humanLoop ?? null,
    ...(captured ? { review: captured.review } : {}),
    status: inference.status,
    source: image.source,
    detectedAt: (deps.now?.() ?? new Date()).toISOString(),
    notified: false,
  };
  return publishDetection(deps, record);
}

/**
 * Notifies the consumer, then writes the result file once, its `notified` saying whether the
 * notification went out. Readers never see a record change under them, and a record that exists
 * was announced: a crash before the write leaves no result, so the next delivery detects and
 * notifies again (same dedupeId, so receivers drop the repeat). The notification carries the whole
 * record; its `resultKey` is written right after. Only a failed notification costs a second write,
 * when a later delivery finishes it (`notifyConsumer`).
 */
export async function publishDetection(deps: Pick<CompletionDeps, 'store' | 'notifier' | 'logger'>, record: DetectionRecord): Promise<DetectionRecord> {
  let notified = true;
  try {
    await sendNotification(deps, record);
  } catch (err) {
    notified = false;
    deps.logger.warn({ imageKey: record.imageKey, err: (err as Error).message }, 'consumer notification failed; the next delivery of the image retries it');
  }
  const written = { ...record, notified };
  await writeDetectionRecord(deps.store, written);
  return written;
}

/** Finishes a record whose notification failed: notifies, then marks it notified. */
export async function notifyConsumer(
  deps: Pick<CompletionDeps, 'store' | 'notifier'>,
  record: DetectionRecord,
): Promise<DetectionRecord> {
  await sendNotification(deps, record);
  const notified = { ...record, notified: true };
  await writeDetectionRecord(deps.store, notified);
  return notified;
}

function sendNotification(deps: Pick<CompletionDeps, 'notifier'>, record: DetectionRecord): Promise<void> {
  return deps.notifier.notify({
    channel: 'consumer',
    type: record.status === 'skipped' ? 'detection.skipped' : 'detection.completed',
    subject: `Detection ${record.status} for ${record.imageKey}`,
    data: { ...toView(record), resultKey: detectionResultKey(record.imageKey) },
    dedupeId: `detection-${createHash('sha256').update(`${record.imageKey}\u0000${record.eTag}`).digest('hex').slice(0, 32)}`,
  });
}
