import { familiarityFactor, softmax, type Familiarity } from './calibration';
import { meanVector, normaliseFeatures } from './features';
import { dot } from './linalg';
import type { MarkBank } from './mark-check';
import type { View } from './preprocess';
import { weightedDistance } from './spread';

/**
 * A shrinkage-LDA head (see lda.ts) on normalised frozen features (features.ts), with a temperature
 * and a familiarity model fitted on cross-validated predictions (calibration.ts). Serving cost is
 * one K×D product plus one distance.
 */
export interface LinearHead {
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
}

/**
 * The screen: a head of the same labels on MobileNet's taps alone (the prefix of every vector),
 * calibrated the same way. Detection runs MobileNet first; when the screen's top confidence reaches
 * `sure`, that is the answer and InceptionV3 is not run (docs/architecture.md, "The local model").
 */
export interface Screen extends LinearHead {
  sure: number;
}

/** The trained part of a local model. */
export interface Head extends LinearHead {
  labels: string[];
  /** The views detection embeds and averages (see train-pipeline.ts). */
  views: View[];
  /** Absent in heads trained before the screen (format 2 and 3): they always read both networks. */
  screen?: Screen;
  /**
   * Keypoints of some training images per label, for the mark check (mark-check.ts); absent in
   * heads trained before it (format 2–4), which are served without it.
   */
  marks?: MarkBank[];
  /**
   * The likelihood ratio of a found mark (mark-check.ts, fitMarkOdds): a confirmed answer's odds are
   * multiplied by it. Absent in heads trained before it, which take 1 (a found mark changes nothing).
   */
  markOdds?: number;
}

export function headLogits(head: LinearHead, normalised: Float32Array): Float64Array {
  const { dims, weights, bias } = head;
  return Float64Array.from(bias, (b, k) => dot(weights.subarray(k * dims, (k + 1) * dims), normalised) + b);
}

/**
 * Confidence per label (0–1) from the backbone vectors of the detection views (normalised, then
 * averaged): the tempered softmax, scaled down as a whole when the image lies further from its top
 * label's training images than they lie themselves. The confidences then sum to at most 1; the
 * remainder is "none of these".
 */
export function predictLinear(head: LinearHead, views: readonly Float32Array[]): Float64Array {
  // A head trained on fewer taps (format 2, or the screen) reads the prefix it was trained on.
  const x = meanVector(views.map((raw) => normaliseFeatures(raw.length > head.dims ? raw.subarray(0, head.dims) : raw, head.blocks)));
  return calibrated(head, x, headLogits(head, x));
}

/** Tempered softmax of `logits`, times the familiarity factor of `x` (normalised) at the top label. */
function calibrated(head: Pick<LinearHead, 'dims' | 'means' | 'precision' | 'temperature' | 'familiarity'>, x: Float32Array, logits: ArrayLike<number>): Float64Array {
  const probs = softmax(logits, head.temperature);
  let top = 0;
  for (let k = 1; k < probs.length; k++) if (probs[k]! > probs[top]!) top = k;
  const factor = familiarityFactor(head.familiarity, weightedDistance(x, head.means.subarray(top * head.dims, (top + 1) * head.dims), head.precision));
  return probs.map((p) => p * factor);
}

const topOf = (probs: ArrayLike<number>) => Math.max(...Array.from(probs));

/** Whether the screen alone answers for these (MobileNet) vectors. */
export function screenIsSure(screen: Screen, views: readonly Float32Array[]): boolean {
  return topOf(predictLinear(screen, views)) >= screen.sure;
}

/**
 * What detection returns: the screen's confidences when it is sure (or when only MobileNet's taps
 * were computed, because it was), else the full head's.
 */
export function predict(head: Head, views: readonly Float32Array[]): Float64Array {
  const { screen } = head;
  if (screen) {
    const probs = predictLinear(screen, views);
    if (views[0]!.length === screen.dims || topOf(probs) >= screen.sure) return probs;
  }
  return predictLinear(head, views);
}
