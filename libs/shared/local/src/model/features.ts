/**
 * Feature normalisation in front of the head: signed square root, then L2 normalisation of each
 * backbone tap ("block") on its own. Pooled ReLU activations are heavy-tailed; the root evens them
 * out, and per-block normalisation keeps the 1,792-wide final taps from drowning the mid-level one
 * and makes every image's vector the same length, so an unfamiliar image cannot produce the huge
 * standardised values (and saturated confidences) that per-dimension standardisation fitted on a
 * handful of images did.
 */
export function normaliseFeatures(v: ArrayLike<number>, blocks: readonly number[]): Float32Array {
  const out = new Float32Array(v.length);
  let offset = 0;
  for (const width of blocks) {
    let sq = 0;
    for (let i = offset; i < offset + width; i++) {
      const x = v[i]!;
      const r = x < 0 ? -Math.sqrt(-x) : Math.sqrt(x);
      out[i] = r;
      sq += r * r;
    }
    const norm = Math.sqrt(sq) || 1;
    for (let i = offset; i < offset + width; i++) out[i]! /= norm;
    offset += width;
  }
  if (offset !== v.length) throw new Error(`feature blocks cover ${offset} of ${v.length} values`);
  return out;
}

/** Element-wise mean of equally long vectors. */
export function meanVector(vectors: readonly ArrayLike<number>[]): Float32Array {
  const out = new Float32Array(vectors[0]!.length);
  for (const v of vectors) for (let i = 0; i < out.length; i++) out[i]! += v[i]! / vectors.length;
  return out;
}
