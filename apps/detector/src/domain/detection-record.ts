import { Type, Static } from '@sinclair/typebox';
import { ObjectStore } from '@relabel/ports';
import { detectionResultKey, isErrorCode, isValid, ReviewCaptureSchema } from '@relabel/contracts';

export const DetectedLabelSchema = Type.Object({
  name: Type.String(),
  confidence: Type.Number({ minimum: 0, maximum: 100 }),
});

/** The public part of a detection (apps/detector/README.md, "API"), shared by POST /detect, GET /detections/:id and the result file. */
export const DetectionViewSchema = Type.Object({
  id: Type.String({ description: 'opaque id for GET /detections/:id' }),
  imageKey: Type.String(),
  eTag: Type.String({ description: 'content version of the image this result belongs to' }),
  modelVersion: Type.Union([Type.String(), Type.Null()]),
  labels: Type.Array(DetectedLabelSchema, { description: 'sorted by confidence (0–100), highest first' }),
  threshold: Type.Number({ description: 'Minimum-Label-Detection-Confidence in force' }),
  passed: Type.Boolean({ description: 'the top confidence reached the threshold' }),
  humanLoop: Type.Union([Type.Object({ name: Type.String() }), Type.Null()]),
  /** why the image went to review and what became of it; absent when it did not go */
  review: Type.Optional(ReviewCaptureSchema),
  status: Type.Union([Type.Literal('ok'), Type.Literal('no_model'), Type.Literal('skipped')]),
  reason: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
  source: Type.Union([Type.Literal('api'), Type.Literal('event')]),
  detectedAt: Type.String(),
});
export type DetectionView = Static<typeof DetectionViewSchema>;

/**
 * What `detection_results/<key>.json` holds. `notified` turns true once the consumer notification
 * went out, so a retry (or the inbox event of a POSTed image) finishes a half-done detection
 * instead of repeating it.
 */
export const DetectionRecordSchema = Type.Composite([DetectionViewSchema, Type.Object({ notified: Type.Boolean() })]);
export type DetectionRecord = Static<typeof DetectionRecordSchema>;

export function toView(record: DetectionRecord): DetectionView {
  const { notified: _notified, ...view } = record;
  return view;
}

/** The stored record of an image, or null when there is none (or it is unreadable and will be redone). */
export async function readDetectionRecord(store: Pick<ObjectStore, 'get'>, imageKey: string): Promise<DetectionRecord | null> {
  let body: Buffer;
  try {
    ({ body } = await store.get(detectionResultKey(imageKey)));
  } catch (err) {
    if (isErrorCode(err, 'STORE_NOT_FOUND')) return null;
    throw err;
  }
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return isValid(DetectionRecordSchema, parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export async function writeDetectionRecord(store: Pick<ObjectStore, 'put'>, record: DetectionRecord): Promise<void> {
  await store.put(detectionResultKey(record.imageKey), Buffer.from(JSON.stringify(record, null, 2)), {
    contentType: 'application/json',
  });
}
