import { createHash } from 'crypto';
import { Type, type Static } from '@sinclair/typebox';

/**
 * Why a detection went to review (docs/architecture.md, "A new capture rule"): there was no model yet, the top confidence was below
 * the threshold, it was sampled as an audit of a confident detection, or an operator asked for it.
 */
export const ReviewReasonSchema = Type.Union([Type.Literal('no_model'), Type.Literal('low_confidence'), Type.Literal('audit'), Type.Literal('manual')]);
export type ReviewReason = Static<typeof ReviewReasonSchema>;
export const REVIEW_REASONS: readonly ReviewReason[] = ReviewReasonSchema.anyOf.map((s) => s.const);

/**
 * What became of the capture: a new loop was `opened`; the same image content already had a loop
 * (pending or answered), which this detection `reused`; or the hourly cap of new loops was reached
 * and the image was not captured.
 */
export const CaptureOutcomeSchema = Type.Union([Type.Literal('opened'), Type.Literal('reused'), Type.Literal('cap_reached')]);
export type CaptureOutcome = Static<typeof CaptureOutcomeSchema>;
export const CAPTURE_OUTCOMES: readonly CaptureOutcome[] = CaptureOutcomeSchema.anyOf.map((s) => s.const);

export const ReviewCaptureSchema = Type.Object({
  reason: ReviewReasonSchema,
  outcome: CaptureOutcomeSchema,
  /** for people reading the record, e.g. "not captured: cap reached" */
  note: Type.Optional(Type.String()),
});
export type ReviewCapture = Static<typeof ReviewCaptureSchema>;

/**
 * The audit sample (`Human-Sampling-Rate`, root README "Operator parameters"): one in `rate` image versions on average, decided
 * by a hash of key and eTag so a replayed event, a retried job or another detector replica decides
 * the same for the same image version.
 */
export function isAuditSample(imageKey: string, eTag: string, rate: number): boolean {
  if (!Number.isInteger(rate) || rate < 1) throw new RangeError(`audit rate must be an integer >= 1, got ${rate}`);
  const digest = createHash('sha256').update(`audit\u0000${imageKey}\u0000${eTag}`).digest();
  // 48 bits are plenty for a uniform residue at any rate an operator would set.
  return digest.readUIntBE(0, 6) % rate === 0;
}

/**
 * The part of a detection record (`detection_results/…json`, written by the detector) that the
 * labeler reads to turn an answered audit into a live-accuracy observation. Everything else in the
 * record is the detector's business.
 */
export const AuditedDetectionSchema = Type.Object({
  imageKey: Type.String(),
  modelVersion: Type.Union([Type.String(), Type.Null()]),
  labels: Type.Array(Type.Object({ name: Type.String(), confidence: Type.Number() })),
  humanLoop: Type.Union([Type.Object({ name: Type.String() }), Type.Null()]),
  review: Type.Optional(ReviewCaptureSchema),
});
export type AuditedDetection = Static<typeof AuditedDetectionSchema>;
