import { seededRandom } from '@relabel/ports/testing';

/** A seeded symmetric positive-definite n×n matrix (row-major): a Gram matrix of random rows plus a ridge. */
export function spdMatrix(n: number, seed: number): Float64Array {
  const rng = seededRandom(seed);
  const width = 40;
  const x = Float64Array.from({ length: n * width }, () => rng() - 0.5);
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let t = i === j ? 2 : 0;
      for (let k = 0; k < width; k++) t += x[i * width + k]! * x[j * width + k]!;
      g[i * n + j] = g[j * n + i] = t;
    }
  return g;
}

export function maxLowerDifference(a: Float64Array, b: Float64Array, n: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) worst = Math.max(worst, Math.abs(a[i * n + j]! - b[i * n + j]!));
  return worst;
}
