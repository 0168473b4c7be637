import { decodeKeypoints, encodedKeypointsLength, encodeKeypoints, type Keypoints } from './keypoints';
import { seededUniform } from './random';

/**
 * The mark check: how many keypoints of an image agree, under one plausible affine pose, with one
 * training image of a label. A label's mark found in the image gives tens of agreeing keypoints;
 * an unknown mark that merely shares the label's colours or plate gives few (docs/architecture.md,
 * "The local model"). Matching goes through a multi-index hash of the label's descriptors (16
 * tables, one per 16-bit chunk: two descriptors within 15 bits of each other always share a chunk),
 * so its cost grows with the matches found, not with the size of the bank.
 */

const CHUNKS = 16;
const WORDS = 8;
/** Matches further apart than this (of 256 bits) are not the same point. */
const MAX_DISTANCE = 64;
/** Lowe's ratio test against the second-best point of the same training image. */
const RATIO = 0.8;
const MIN_MATCHES = 6;
/** Training images (most matches first) whose pose is searched. */
const CANDIDATE_IMAGES = 8;
const RANSAC_ROUNDS = 200;
/** Inlier tolerance in pixels of the checked image (a 448² frame). */
const TOLERANCE = 2;
/**
 * Agreeing keypoints that count as the mark found. On the bench's open set (15 labels × 30 images,
 * 450 known and 150 unknown test images; model README, "Next step"), a known image's top label
 * reached it for 77 % of known images (8) and 73 % (10), an unknown image's for 7 % and 0 %.
 */
export const MARK_FOUND = 8;

export interface MarkBank {
  images: number;
  /**
   * Whether the label's own training images find each other's mark (set by training): a plain
   * shape (a disc, a square) has too few keypoints to be found, and its answers are left unchecked.
   */
  checkable: boolean;
  /** Owner training image of each descriptor. */
  owner: Uint16Array;
  xy: Float32Array;
  words: Uint32Array;
  /** Per chunk: descriptor indices sorted by that chunk's value (16-bit when the bank allows). */
  order: (Uint16Array | Uint32Array)[];
  /**
   * Per chunk: where in `order` each value of the chunk's top PREFIX_BITS begins (one more entry
   * for the end), so a lookup searches a handful of positions instead of the whole order.
   */
  starts: Uint32Array[];
}

const PREFIX_BITS = 10;
const PREFIX_SHIFT = 16 - PREFIX_BITS;

function wordsOf(descriptors: Uint8Array): Uint32Array {
  const words = new Uint32Array(descriptors.length / 4);
  for (let i = 0; i < words.length; i++) words[i] = descriptors[4 * i]! | (descriptors[4 * i + 1]! << 8) | (descriptors[4 * i + 2]! << 16) | (descriptors[4 * i + 3]! << 24);
  return words;
}

function popcount(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

function distance(a: Uint32Array, i: number, b: Uint32Array, j: number): number {
  let d = 0;
  for (let w = 0; w < WORDS; w++) d += popcount(a[i * WORDS + w]! ^ b[j * WORDS + w]!);
  return d;
}

const chunkOf = (words: Uint32Array, i: number, c: number) => (words[i * WORDS + (c >> 1)]! >>> ((c & 1) * 16)) & 0xffff;

/** Indexes the keypoints of a label's training images. */
export function buildMarkBank(images: readonly Keypoints[], checkable = true): MarkBank {
  const total = images.reduce((s, k) => s + k.count, 0);
  const owner = new Uint16Array(total);
  const xy = new Float32Array(total * 2);
  const words = new Uint32Array(total * WORDS);
  let at = 0;
  images.forEach((k, image) => {
    owner.fill(image, at, at + k.count);
    xy.set(k.xy, at * 2);
    words.set(wordsOf(k.descriptors), at * WORDS);
    at += k.count;
  });
  const order: (Uint16Array | Uint32Array)[] = [];
  const starts: Uint32Array[] = [];
  for (let c = 0; c < CHUNKS; c++) {
    let o: Uint16Array | Uint32Array;
    if (total <= 0xffff) {
      // Chunk value and index in one 32-bit key: a native numeric sort gives the same order as the
      // comparator below, several times faster (a retrain rebuilds every bank).
      const keys = new Uint32Array(total);
      for (let i = 0; i < total; i++) keys[i] = chunkOf(words, i, c) * 0x10000 + i;
      keys.sort();
      o = Uint16Array.from(keys, (k) => k & 0xffff);
    } else {
      o = new Uint32Array(total);
      for (let i = 0; i < total; i++) o[i] = i;
      o.sort((a, b) => chunkOf(words, a, c) - chunkOf(words, b, c) || a - b);
    }
    order.push(o);
    const start = new Uint32Array((1 << PREFIX_BITS) + 1);
    for (let i = 0; i < total; i++) start[(chunkOf(words, o[i]!, c) >>> PREFIX_SHIFT) + 1]! += 1;
    for (let p = 1; p < start.length; p++) start[p]! += start[p - 1]!;
    starts.push(start);
  }
  return { images: images.length, checkable, owner, xy, words, order, starts };
}

/** First position of `order` (sorted by chunk c) whose chunk is not below `value`. */
function lowerBound(bank: MarkBank, c: number, value: number): number {
  const order = bank.order[c]!;
  const prefix = value >>> PREFIX_SHIFT;
  let lo = bank.starts[c]![prefix]!;
  let hi = bank.starts[c]![prefix + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (chunkOf(bank.words, order[mid]!, c) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Putative matches per training image: [query index, bank index] pairs. */
function putativeMatches(query: Keypoints, bank: MarkBank): Map<number, number[]> {
  const q = wordsOf(query.descriptors);
  const seen = new Int32Array(bank.owner.length).fill(-1);
  // Per training image, for the query point `i` being matched: its nearest and second-nearest point.
  const stamp = new Int32Array(bank.images).fill(-1);
  const bestJ = new Int32Array(bank.images);
  const bestD = new Int32Array(bank.images);
  const secondD = new Int32Array(bank.images);
  const touched = new Int32Array(bank.images);
  const byImage = new Map<number, number[]>();
  for (let i = 0; i < query.count; i++) {
    let count = 0;
    for (let c = 0; c < CHUNKS; c++) {
      const value = chunkOf(q, i, c);
      const order = bank.order[c]!;
      const end = bank.starts[c]![(value >>> PREFIX_SHIFT) + 1]!;
      for (let at = lowerBound(bank, c, value); at < end; at++) {
        const j = order[at]!;
        if (chunkOf(bank.words, j, c) !== value) break;
        if (seen[j] === i) continue;
        seen[j] = i;
        const d = distance(q, i, bank.words, j);
        const image = bank.owner[j]!;
        if (stamp[image] !== i) {
          stamp[image] = i;
          touched[count++] = image;
          bestJ[image] = j;
          bestD[image] = d;
          secondD[image] = 0x7fffffff;
        } else if (d < bestD[image]!) {
          secondD[image] = bestD[image]!;
          bestD[image] = d;
          bestJ[image] = j;
        } else if (d < secondD[image]!) secondD[image] = d;
      }
    }
    for (let t = 0; t < count; t++) {
      const image = touched[t]!;
      if (bestD[image]! > MAX_DISTANCE || bestD[image]! >= RATIO * secondD[image]!) continue;
      let list = byImage.get(image);
      if (!list) byImage.set(image, (list = []));
      list.push(i, bestJ[image]!);
    }
  }
  return byImage;
}

/** Affine map [a b c; d e f] taking 3 source points to 3 destination points, or null if degenerate. */
function affineFrom(src: number[], dst: number[]): number[] | null {
  const [x1, y1, x2, y2, x3, y3] = src as [number, number, number, number, number, number];
  const det = x1 * (y2 - y3) - y1 * (x2 - x3) + (x2 * y3 - x3 * y2);
  if (Math.abs(det) < 1e-6) return null;
  const solve = (v1: number, v2: number, v3: number) => [
    (v1 * (y2 - y3) - y1 * (v2 - v3) + (v2 * y3 - v3 * y2)) / det,
    (x1 * (v2 - v3) - v1 * (x2 - x3) + (x2 * v3 - x3 * v2)) / det,
    (x1 * (y2 * v3 - y3 * v2) - y1 * (x2 * v3 - x3 * v2) + v1 * (x2 * y3 - x3 * y2)) / det,
  ];
  const [a, b, c] = solve(dst[0]!, dst[2]!, dst[4]!) as [number, number, number];
  const [d, e, f] = solve(dst[1]!, dst[3]!, dst[5]!) as [number, number, number];
  return [a, b, c, d, e, f];
}

/**
 * A pose a mark can take between two photographs: not mirrored, not squashed to a line, at most 6×
 * larger or smaller, stretched at most 3:1 (singular values of the linear part).
 */
function plausible(m: number[]): boolean {
  const [a, b, , d, e] = m as [number, number, number, number, number];
  const det = a * e - b * d;
  if (det <= 0) return false;
  const s = a * a + b * b + d * d + e * e;
  const root = Math.sqrt(Math.max(0, s * s - 4 * det * det));
  const big = Math.sqrt((s + root) / 2);
  const small = Math.sqrt(Math.max(0, (s - root) / 2));
  return small > 0.15 && big < 6 && big < 3 * small;
}

function bestPose(query: Keypoints, bank: MarkBank, pairs: number[], next: () => number): number {
  const n = pairs.length / 2;
  let best = 0;
  const src = [0, 0, 0, 0, 0, 0];
  const dst = [0, 0, 0, 0, 0, 0];
  for (let round = 0; round < RANSAC_ROUNDS; round++) {
    const picks = [Math.floor(next() * n), Math.floor(next() * n), Math.floor(next() * n)];
    if (picks[0] === picks[1] || picks[1] === picks[2] || picks[0] === picks[2]) continue;
    picks.forEach((p, k) => {
      src[2 * k] = bank.xy[2 * pairs[2 * p + 1]!]!;
      src[2 * k + 1] = bank.xy[2 * pairs[2 * p + 1]! + 1]!;
      dst[2 * k] = query.xy[2 * pairs[2 * p]!]!;
      dst[2 * k + 1] = query.xy[2 * pairs[2 * p]! + 1]!;
    });
    const m = affineFrom(src, dst);
    if (!m || !plausible(m)) continue;
    let inliers = 0;
    for (let k = 0; k < n; k++) {
      const j = pairs[2 * k + 1]!;
      const i = pairs[2 * k]!;
      const x = bank.xy[2 * j]!;
      const y = bank.xy[2 * j + 1]!;
      const dx = m[0]! * x + m[1]! * y + m[2]! - query.xy[2 * i]!;
      const dy = m[3]! * x + m[4]! * y + m[5]! - query.xy[2 * i + 1]!;
      if (dx * dx + dy * dy <= TOLERANCE * TOLERANCE) inliers++;
    }
    if (inliers > best) best = inliers;
  }
  return best;
}

/**
 * The most keypoints of `query` that one training image of the bank explains under one plausible
 * affine pose (0 when none does). Deterministic. `exclude`: a training image left out (its own check).
 */
export function markAgreement(query: Keypoints, bank: MarkBank, exclude = -1): number {
  const candidates = [...putativeMatches(query, bank)]
    .filter(([image, pairs]) => image !== exclude && pairs.length / 2 >= MIN_MATCHES)
    .sort((a, b) => b[1].length - a[1].length || a[0] - b[0])
    .slice(0, CANDIDATE_IMAGES);
  const next = seededUniform(0x5eed);
  let best = 0;
  for (const [, pairs] of candidates) {
    if (pairs.length / 2 <= best) continue;
    best = Math.max(best, bestPose(query, bank, pairs, next));
  }
  return best;
}

/**
 * The most an answer whose mark is not found may claim: just under the default review threshold
 * (`Minimum-Label-Detection-Confidence` 70), so it goes to a human. On the bench such answers of
 * known images were right about 70 % of the time (model README, "The mark check"), so the cap costs
 * the closed-set calibration little, while an unknown mark almost never has its mark found.
 */
export const UNCONFIRMED_CAP = 0.69;

/** Whether detection must look for the top label's mark: only an answer above the cap can change. */
export const needsMarkCheck = (probs: ArrayLike<number>, bank: MarkBank): boolean => bank.checkable && Math.max(...Array.from(probs)) > UNCONFIRMED_CAP;

/**
 * How many times more often a right answer has its mark found than a wrong one: the likelihood
 * ratio a found mark brings, fitted on cross-validated answers the check looked at (train-pipeline.ts).
 * Each rate is smoothed by one found and one not found, so that the few wrong answers of a small
 * set cannot claim certainty, and the ratio is never below 1: a found mark never lowers confidence.
 * On the bench at 5 images per label, answers whose mark was found were right 99.7 % of the time
 * at a mean confidence of 0.91 before this ratio was applied (model README, "Found marks").
 */
export function fitMarkOdds(checks: readonly { right: boolean; found: boolean }[]): number {
  const rate = (group: readonly { found: boolean }[]) => (group.filter((c) => c.found).length + 1) / (group.length + 2);
  return Math.max(1, rate(checks.filter((c) => c.right)) / rate(checks.filter((c) => !c.right)));
}

/**
 * The confidences once the top label's mark was (or was not) found. Found: the top answer's odds
 * are multiplied by `markOdds` (fitMarkOdds) and the other labels, and "none of these", share what
 * is left in their proportions. Not found: all scaled down together to the cap.
 */
export function confirmMark(probs: Float64Array, agreement: number, markOdds = 1): Float64Array {
  const top = Math.max(...probs);
  if (top <= UNCONFIRMED_CAP) return probs;
  if (agreement < MARK_FOUND) return probs.map((p) => (p * UNCONFIRMED_CAP) / top);
  if (markOdds <= 1 || top >= 1) return probs;
  const raised = (top * markOdds) / (top * markOdds + 1 - top);
  const at = probs.indexOf(top);
  return probs.map((p, i) => (i === at ? raised : (p * (1 - raised)) / (1 - top)));
}

/** A bank's training images again (to store it: the index is rebuilt on load). */
function bankImages(bank: MarkBank): Keypoints[] {
  const out: Keypoints[] = [];
  let start = 0;
  for (let image = 0; image < bank.images; image++) {
    let end = start;
    while (end < bank.owner.length && bank.owner[end] === image) end++;
    const words = bank.words.subarray(start * WORDS, end * WORDS);
    const descriptors = new Uint8Array(words.length * 4);
    words.forEach((w, i) => descriptors.set([w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24], 4 * i));
    out.push({ count: end - start, xy: bank.xy.slice(start * 2, end * 2), descriptors });
    start = end;
  }
  return out;
}

/** What head.json records of each label's bank. */
export interface MarkBankMeta {
  images: number;
  checkable: boolean;
}

/** The banks of every label as bytes, and how many training images each holds. */
export function encodeMarkBanks(banks: readonly MarkBank[]): { bytes: Buffer; meta: MarkBankMeta[] } {
  return { bytes: Buffer.concat(banks.flatMap((b) => bankImages(b).map(encodeKeypoints))), meta: banks.map((b) => ({ images: b.images, checkable: b.checkable })) };
}

export function decodeMarkBanks(bytes: Buffer, meta: readonly MarkBankMeta[]): MarkBank[] {
  let at = 0;
  const banks = meta.map(({ images, checkable }) =>
    buildMarkBank(
      Array.from({ length: images }, () => {
        const size = encodedKeypointsLength(bytes.readUInt32LE(at));
        const k = decodeKeypoints(bytes.subarray(at, at + size));
        at += size;
        return k;
      }),
      checkable === true,
    ),
  );
  if (at !== bytes.length) throw new Error('mark bank bytes are inconsistent');
  return banks;
}
