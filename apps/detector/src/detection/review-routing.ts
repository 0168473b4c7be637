import type { Parameters } from '@relabel/contracts';
import type { DetectedLabel } from '@relabel/ports';

export interface Inference {
  status: 'ok' | 'no_model';
  modelVersion: string | null;
  labels: DetectedLabel[];
}

export interface ReviewDecision {
  threshold: number;
  passed: boolean;
  review: boolean;
}

/**
 * SPEC 5C.3/5C.4: a detection passes when its top confidence reaches the threshold; one that does
 * not (or that had no model to run) goes to review when the A2I workflow is enabled.
 */
export function decideReview(parameters: Pick<Parameters, 'Minimum-Label-Detection-Confidence' | 'Enable-A2I-Workflow'>, inference: Inference): ReviewDecision {
  const threshold = parameters['Minimum-Label-Detection-Confidence'];
  const top = inference.labels[0]?.confidence ?? 0;
  const passed = inference.status === 'ok' && !(top < threshold);
  return { threshold, passed, review: !passed && parameters['Enable-A2I-Workflow'] };
}
