/**
 * Confidence calibration from out-of-sample predictions (cross-validation folds), so a reported
 * 80 % means "right about 80 % of the time" at every dataset size, from 5 images per label up.
 */
export function softmax(z: ArrayLike<number>, temperature = 1): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < z.length; i++) max = Math.max(max, z[i]! / temperature);
  const out = new Float64Array(z.length);
  let sum = 0;
  for (let i = 0; i < z.length; i++) sum += out[i] = Number.isFinite(z[i]!) ? Math.exp(z[i]! / temperature - max) : 0;
  for (let i = 0; i < z.length; i++) out[i]! /= sum;
  return out;
}

/**
 * Temperature minimising the negative log-likelihood of held-out logits: a geometric grid wide
 * enough for closed-form heads (their raw logits are far too sharp: fitted values of 10–150 are
 * normal), then a local refinement.
 */
export function fitTemperature(heldOut: readonly { logits: ArrayLike<number>; y: number }[]): number {
  if (heldOut.length === 0) return 1;
  const nll = (t: number) => heldOut.reduce((a, s) => a - Math.log(Math.max(softmax(s.logits, t)[s.y]!, 1e-12)), 0);
  const grid: number[] = [];
  for (let t = 0.01; t <= 5000; t *= 1.1) grid.push(t);
  // The loss is convex in 1/t (a log-sum-exp of lines minus a line), so it has one valley along the
  // grid: every COARSE-th point finds it, and the points around the best of those hold the grid's
  // minimum (a third of the evaluations of the whole grid, a third of a second in a large retrain).
  let coarse = 0;
  let coarseLoss = Infinity;
  for (let i = 0; i < grid.length; i += COARSE) {
    const loss = nll(grid[i]!);
    if (loss < coarseLoss) [coarse, coarseLoss] = [i, loss];
  }
  let best = 1;
  let bestLoss = nll(1);
  for (let i = Math.max(0, coarse - COARSE); i <= Math.min(grid.length - 1, coarse + COARSE); i++) {
    const loss = nll(grid[i]!);
    if (loss < bestLoss) [best, bestLoss] = [grid[i]!, loss];
  }
  for (let step = 1.05; step > 1.001; step = Math.sqrt(step))
    for (const t of [best / step, best * step]) {
      const loss = nll(t);
      if (loss < bestLoss) [best, bestLoss] = [t, loss];
    }
  return best;
}

const COARSE = 8;

/**
 * A fold model sees only part of the data, so it is less sure than the final model and its fitted
 * temperature is too high (bench, 5 images/label: 111 from 4-of-5 folds against 75 that fits the
 * final model on the test set). Temperatures fitted at two training fractions (4/5 and 3/5 of the
 * set, on the same folds: see train-pipeline.ts) are extrapolated log-linearly to the whole set: a
 * half step left the bench timid (calibration error 0.12 / 0.13 / 0.11 at 5 / 10 / 30 images per
 * label), the full step brings it to 0.04–0.08.
 */
export function extrapolateTemperature(a: { fraction: number; temperature: number }, b: { fraction: number; temperature: number }): number {
  const [xa, xb] = [Math.log(a.fraction), Math.log(b.fraction)];
  if (xa === xb) return a.temperature;
  const slope = (Math.log(a.temperature) - Math.log(b.temperature)) / (xa - xb);
  // Only ever towards "more confident with more data"; a noisy reversed slope is ignored.
  const step = Math.min(0, slope * (0 - xa));
  return Math.exp(Math.log(a.temperature) + step);
}

/** Standard normal upper tail P(Z > z) (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
export function normalUpperTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 - erf) / 2 : (1 + erf) / 2;
}

/**
 * "Is this like the training images at all?" Squared distances of held-out members to their class
 * mean are close to log-normal; a vector further out than the `tail` quantile of that distribution
 * has its confidences scaled down by its tail probability / tail (tail 5 %: at 10 % it cost known
 * images 4–7 confidence points on the bench), so an image unlike anything taught
 * comes out unsure even when the softmax between two known labels is lopsided.
 */
export interface Familiarity {
  logMean: number;
  logSd: number;
  tail: number;
}

export const FAMILIARITY_TAIL = 0.05;

/** `tail` 0 switches the factor off (see train-pipeline.ts for when). */
export function fitFamiliarity(memberDistances: readonly number[], tail = FAMILIARITY_TAIL): Familiarity {
  const logs = memberDistances.filter((d) => d > 0).map(Math.log);
  if (logs.length < 2) return { logMean: logs[0] ?? 0, logSd: 1, tail };
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
  const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (logs.length - 1));
  // A floor: with a handful of members the spread is underestimated.
  return { logMean: mean, logSd: Math.max(sd, 0.05), tail };
}

export function familiarityFactor(f: Familiarity, squaredDistance: number): number {
  if (!(squaredDistance > 0) || !(f.tail > 0)) return 1;
  const p = normalUpperTail((Math.log(squaredDistance) - f.logMean) / f.logSd);
  return Math.min(1, p / f.tail);
}
