/**
 * The familiarity distance: squared distance to a class mean, each dimension weighted by the
 * inverse of its pooled within-class variance (shrunk half-way to the average variance). Dimensions
 * that stay put across a label's images — the mark's shape, not its position or the backdrop —
 * count most, so a mark never taught stands out even on a familiar plate. Diagonal on purpose: one
 * weight per dimension costs D operations at detection, where a full Mahalanobis distance would need
 * the training vectors themselves.
 */
export interface Spread {
  precision: Float32Array;
  distance(x: ArrayLike<number>, k: number): number;
}

/** Over the first `dims` dimensions (all by default): the others' weight is 0 where it is used. */
export function weightedDistance(x: ArrayLike<number>, mean: ArrayLike<number>, precision: ArrayLike<number>, dims = x.length): number {
  let s = 0;
  for (let i = 0; i < dims; i++) s += (x[i]! - mean[i]!) ** 2 * precision[i]!;
  return s;
}

/**
 * Only the first `measured` dimensions count (the rest get weight 0): on the bench, the distance over
 * MobileNet's taps separated unknown marks better (AUROC 0.66) than over both networks' (0.62), and it
 * is what the 2-label "never taught" check needs.
 */
export function fitSpread(rows: readonly Float32Array[], classOf: ArrayLike<number>, fitRows: readonly number[], classes: number, measured = rows[fitRows[0]!]!.length): Spread {
  const d = rows[fitRows[0]!]!.length;
  // Means and variances of the measured dimensions only: the others weigh 0 in every distance.
  const means = Array.from({ length: classes }, () => new Float64Array(measured));
  const counts = new Array<number>(classes).fill(0);
  for (const r of fitRows) {
    const m = means[classOf[r]!]!;
    counts[classOf[r]!]!++;
    const x = rows[r]!;
    for (let j = 0; j < measured; j++) m[j]! += x[j]!;
  }
  means.forEach((m, k) => counts[k] && m.forEach((v, j) => (m[j] = v / counts[k]!)));
  const variance = new Float64Array(d);
  for (const r of fitRows) {
    const m = means[classOf[r]!]!;
    const x = rows[r]!;
    for (let j = 0; j < measured; j++) variance[j]! += (x[j]! - m[j]!) ** 2;
  }
  let average = 0;
  for (let j = 0; j < measured; j++) average += (variance[j]! /= Math.max(1, fitRows.length));
  average = average / measured || 1e-6;
  const precision = Float32Array.from(variance, (v, j) => (j < measured ? average / (0.5 * v + 0.5 * average) : 0));
  return { precision, distance: (x, k) => weightedDistance(x, means[k]!, precision, measured) };
}
