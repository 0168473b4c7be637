import { isAuditSample, type Parameters, type ReviewReason } from '@relabel/contracts';
import type { DetectedLabel } from '@relabel/ports';

export interface Inference {
  status: 'ok' | 'no_model';
  modelVersion: string | null;
  labels: DetectedLabel[];
}

export interface ReviewDecision {
  threshold: number;
  passed: boolean;
  /** why the detection goes to review, or null when it does not */
  reason: ReviewReason | null;
}

export type RoutingParameters = Pick<
  Parameters,
  'Minimum-Label-Detection-Confidence' | 'Enable-A2I-Workflow' | 'Enable-Human-Sampling' | 'Human-Sampling-Rate'
>;

/**
 * Flow C (docs/architecture.md; apps/detector/README.md, "How it works"): a detection passes when its top confidence reaches the threshold; one that does
 * not (or that had no model to run) goes to review when the A2I workflow is enabled. One that passed
 * may still be sampled as an audit (`Enable-Human-Sampling`, root README "Operator parameters"), decided by its key and eTag so a replay
 * decides the same. Sampling is its own switch: audits measure the model even where low-confidence
 * capture is off.
 */
export function decideReview(parameters: RoutingParameters, inference: Inference, image: { imageKey: string; eTag: string }): ReviewDecision {
  const threshold = parameters['Minimum-Label-Detection-Confidence'];
  const top = inference.labels[0]?.confidence ?? 0;
  const passed = inference.status === 'ok' && !(top < threshold);
  if (!passed) {
    const reason = inference.status === 'no_model' ? 'no_model' : 'low_confidence';
    return { threshold, passed, reason: parameters['Enable-A2I-Workflow'] ? reason : null };
  }
  const audit = parameters['Enable-Human-Sampling'] && isAuditSample(image.imageKey, image.eTag, parameters['Human-Sampling-Rate']);
  return { threshold, passed, reason: audit ? 'audit' : null };
}
