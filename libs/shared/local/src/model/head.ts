import { familiarityFactor, softmax, type Familiarity } from './calibration';
import { meanVector, normaliseFeatures } from './features';
import { dot } from './linalg';
import type { View } from './preprocess';
import { weightedDistance } from './spread';

/**
 * The trained part of a local model: a shrinkage-LDA head (see lda.ts) on normalised frozen
 * features (features.ts), with a temperature and a familiarity model fitted on cross-validated
 * predictions (calibration.ts). Serving cost is one K×D product plus one distance.
 */
export interface Head {
  labels: string[];
  dims: number;
  /** Widths of the backbone taps, normalised one by one. */
  blocks: number[];
  /** K × D, row-major: Σ⁻¹μ_k. */
  weights: Float32Array;
  bias: Float32Array;
  /** K × D class means of the normalised training vectors. */
  means: Float32Array;
  /** D per-dimension weights of the familiarity distance (see spread.ts). */
  precision: Float32Array;
  temperature: number;
  familiarity: Familiarity;
  /** The views detection embeds and averages (see train-pipeline.ts). */
  views: View[];
}

export function headLogits(head: Head, normalised: Float32Array): Float64Array {
  const { dims, weights, bias } = head;
  return Float64Array.from(head.labels, (_, k) => dot(weights.subarray(k * dims, (k + 1) * dims), normalised) + bias[k]!);
}


/**
 * Confidence per label (0–1) for one image, from the backbone vectors of its detection views
 * (normalised, then averaged): the tempered softmax, scaled down as a whole
 * when the image lies further from its top label's training images than they lie themselves. The
 * confidences then sum to at most 1; the remainder is "none of these".
 */
export function predict(head: Head, views: readonly Float32Array[]): Float64Array {
  // A head trained on fewer taps (format 2: MobileNet only) reads the prefix it was trained on.
  const x = meanVector(views.map((raw) => normaliseFeatures(raw.length > head.dims ? raw.subarray(0, head.dims) : raw, head.blocks)));
  const probs = softmax(headLogits(head, x), head.temperature);
  let top = 0;
  for (let k = 1; k < probs.length; k++) if (probs[k]! > probs[top]!) top = k;
  const factor = familiarityFactor(head.familiarity, weightedDistance(x, head.means.subarray(top * head.dims, (top + 1) * head.dims), head.precision));
  return probs.map((p) => p * factor);
}
