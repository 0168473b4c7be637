import { seededUniform } from './random';

/**
 * Oriented binary keypoints (the ORB recipe: FAST-9 corners on an image pyramid, ranked by the
 * Harris response, oriented by their intensity centroid, described by 256 rotated intensity tests on
 * a smoothed patch) of a grey image. They describe the mark itself at full resolution, where the
 * backbone's pooled vectors describe the whole frame; `mark-check.ts` uses them to confirm that a
 * training image's mark is really in the image (docs/architecture.md, "The local model").
 * Deterministic: the test pattern comes from a fixed seed.
 */

/** Bumped when the detector changes, so cached keypoints are recomputed. */
export const KEYPOINTS_VERSION = 1;

export interface Keypoints {
  count: number;
  /** x, y per keypoint, in the input image's pixels. */
  xy: Float32Array;
  /** 32 bytes (256 tests) per keypoint. */
  descriptors: Uint8Array;
}

export interface GreyImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

const LEVELS = 6;
const SCALE = 1.2;
const FAST_THRESHOLD = 20;
/** Patch radius of the orientation and the tests; the border keeps every test inside the image. */
const RADIUS = 15;
const BORDER = RADIUS + 4;
const ANGLE_BINS = 30;
const BYTES = 32;

/** The 16 pixels of FAST's radius-3 circle, clockwise from the top. */
const CIRCLE: ReadonlyArray<readonly [number, number]> = [
  [0, -3], [1, -3], [2, -2], [3, -1], [3, 0], [3, 1], [2, 2], [1, 3],
  [0, 3], [-1, 3], [-2, 2], [-3, 1], [-3, 0], [-3, -1], [-2, -2], [-1, -3],
];

/**
 * 256 point pairs drawn from an isotropic Gaussian (BRIEF's best-performing sampling), kept inside
 * a circle so every rotation of the pattern stays inside the patch; then one integer copy per angle bin.
 */
const PATTERNS: Int16Array[] = (() => {
  const next = seededUniform(0x0b1e);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const base: number[] = [];
  while (base.length < 256 * 4) {
    const p = [gauss(), gauss()].map((v) => v * (RADIUS / 2.5)) as [number, number];
    if (Math.hypot(p[0], p[1]) <= RADIUS - 1) base.push(...p);
  }
  return Array.from({ length: ANGLE_BINS }, (_, bin) => {
    const a = (2 * Math.PI * bin) / ANGLE_BINS;
    const c = Math.cos(a);
    const s = Math.sin(a);
    const out = new Int16Array(base.length);
    for (let i = 0; i < base.length; i += 2) {
      out[i] = Math.round(c * base[i]! - s * base[i + 1]!);
      out[i + 1] = Math.round(s * base[i]! + c * base[i + 1]!);
    }
    return out;
  });
})();

/** Bilinear downscale by `factor` (> 1); column taps computed once. */
function downscale(img: GreyImage, factor: number): GreyImage {
  const width = Math.max(1, Math.round(img.width / factor));
  const height = Math.max(1, Math.round(img.height / factor));
  const pixels = new Uint8Array(width * height);
  const tap = (n: number, limit: number) => {
    const s = Math.min(limit - 1.001, Math.max(0, (n + 0.5) * factor - 0.5));
    const at = Math.floor(s);
    return [at, s - at] as const;
  };
  const cols = Array.from({ length: width }, (_, x) => tap(x, img.width));
  const x0 = Int32Array.from(cols, (c) => c[0]);
  const fx = Float32Array.from(cols, (c) => c[1]);
  const src = img.pixels;
  for (let y = 0; y < height; y++) {
    const [y0, fy] = tap(y, img.height);
    const row = y0 * img.width;
    for (let x = 0; x < width; x++) {
      const i = row + x0[x]!;
      const f = fx[x]!;
      const top = src[i]! + (src[i + 1]! - src[i]!) * f;
      const bottom = src[i + img.width]! + (src[i + img.width + 1]! - src[i + img.width]!) * f;
      pixels[y * width + x] = top + (bottom - top) * fy + 0.5;
    }
  }
  return { width, height, pixels };
}

/**
 * Separable Gaussian blur, 7 taps, σ = 2 (the smoothing ORB applies before its tests), computed
 * only inside `box` (the chosen keypoints' patches; every test lies at least BORDER − RADIUS pixels
 * inside the image, so the taps stay inside too). Outside the box the result is 0 and never read.
 */
function blur(img: GreyImage, box: { x0: number; x1: number; y0: number; y1: number }): Float32Array {
  const k = [0, 1, 2, 3, 4, 5, 6].map((i) => Math.exp(-((i - 3) ** 2) / 8));
  const sum = k.reduce((a, b) => a + b, 0);
  const [w0, w1, w2, w3] = [k[0]! / sum, k[1]! / sum, k[2]! / sum, k[3]! / sum];
  const { width, pixels: p } = img;
  const tmp = new Float32Array(width * img.height);
  const out = new Float32Array(width * img.height);
  for (let y = box.y0 - 3; y <= box.y1 + 3; y++)
    for (let x = box.x0, i = y * width + box.x0; x <= box.x1; x++, i++)
      tmp[i] = w3 * p[i]! + w2 * (p[i - 1]! + p[i + 1]!) + w1 * (p[i - 2]! + p[i + 2]!) + w0 * (p[i - 3]! + p[i + 3]!);
  for (let y = box.y0; y <= box.y1; y++)
    for (let x = box.x0, i = y * width + box.x0; x <= box.x1; x++, i++)
      out[i] = w3 * tmp[i]! + w2 * (tmp[i - width]! + tmp[i + width]!) + w1 * (tmp[i - 2 * width]! + tmp[i + 2 * width]!) + w0 * (tmp[i - 3 * width]! + tmp[i + 3 * width]!);
  return out;
}

/** Whether 9 contiguous circle pixels (of 16, circularly) are set in `mask`. */
function hasArc(mask: number): boolean {
  let m = mask | (mask << 16);
  for (let i = 0; i < 8; i++) m &= m >>> 1;
  return m !== 0;
}

/** FAST-9 corners inside the border. */
function fastCorners(img: GreyImage): number[] {
  const { width, height, pixels } = img;
  const offsets = CIRCLE.map(([dx, dy]) => dy * width + dx);
  const [north, east, south, west] = [offsets[0]!, offsets[4]!, offsets[8]!, offsets[12]!];
  const corners: number[] = [];
  for (let y = BORDER; y < height - BORDER; y++)
    for (let x = BORDER, i = y * width + BORDER; x < width - BORDER; x++, i++) {
      const p = pixels[i]!;
      const hi = p + FAST_THRESHOLD;
      const lo = p - FAST_THRESHOLD;
      // Any 9-arc covers the north or the south pixel, and two of the four compass pixels: cheap
      // rejections first (most pixels lie in flat areas).
      const n = pixels[i + north]!;
      const s = pixels[i + south]!;
      if (n <= hi && n >= lo && s <= hi && s >= lo) continue;
      const e = pixels[i + east]!;
      const w = pixels[i + west]!;
      const brightCompass = +(n > hi) + +(e > hi) + +(s > hi) + +(w > hi);
      const darkCompass = +(n < lo) + +(e < lo) + +(s < lo) + +(w < lo);
      if (brightCompass < 2 && darkCompass < 2) continue;
      let bright = 0;
      let dark = 0;
      for (let c = 0; c < 16; c++) {
        const v = pixels[i + offsets[c]!]!;
        if (v > hi) bright |= 1 << c;
        else if (v < lo) dark |= 1 << c;
      }
      if (hasArc(bright) || hasArc(dark)) corners.push(i);
    }
  return corners;
}

/** Harris response (k = 0.04) over a 7×7 window of central differences. */
function harris(img: GreyImage, i: number): number {
  const { width, pixels } = img;
  let a = 0;
  let b = 0;
  let c = 0;
  for (let dy = -3; dy <= 3; dy++)
    for (let dx = -3; dx <= 3; dx++) {
      const j = i + dy * width + dx;
      const gx = pixels[j + 1]! - pixels[j - 1]!;
      const gy = pixels[j + width]! - pixels[j - width]!;
      a += gx * gx;
      b += gy * gy;
      c += gx * gy;
    }
  return a * b - c * c - 0.04 * (a + b) ** 2;
}

/** Orientation of the patch by its intensity centroid. */
function orientation(img: GreyImage, i: number): number {
  const { width, pixels } = img;
  let m10 = 0;
  let m01 = 0;
  for (let dy = -RADIUS; dy <= RADIUS; dy++) {
    const span = Math.floor(Math.sqrt(RADIUS * RADIUS - dy * dy));
    for (let dx = -span; dx <= span; dx++) {
      const v = pixels[i + dy * width + dx]!;
      m10 += dx * v;
      m01 += dy * v;
    }
  }
  return Math.atan2(m01, m10);
}

/**
 * At most `max` keypoints of a grey image (spread over the pyramid levels by their area), strongest
 * first within each level.
 */
export function detectKeypoints(image: GreyImage, max = 500): Keypoints {
  const xy: number[] = [];
  const descriptors: number[] = [];
  const shares = Array.from({ length: LEVELS }, (_, l) => SCALE ** (-2 * l));
  const shareSum = shares.reduce((a, b) => a + b, 0);
  let level = image;
  for (let l = 0; l < LEVELS; l++) {
    if (l > 0) level = downscale(image, SCALE ** l);
    if (level.width <= 2 * BORDER || level.height <= 2 * BORDER) break;
    const candidates = fastCorners(level);
    const score = new Float32Array(level.width * level.height).fill(-Infinity);
    for (const i of candidates) score[i] = harris(level, i);
    // 3×3 non-maximum suppression among the corners.
    const kept = candidates.filter((i) => {
      const s = score[i]!;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const t = score[i + dy * level.width + dx]!;
          if (t > s || (t === s && dy * level.width + dx < 0)) return false;
        }
      return true;
    });
    kept.sort((a, b) => score[b]! - score[a]! || a - b);
    const quota = Math.round((max * shares[l]!) / shareSum);
    const chosen = kept.slice(0, quota);
    if (chosen.length === 0) continue;
    const box = { x0: level.width, x1: 0, y0: level.height, y1: 0 };
    for (const i of chosen) {
      const x = i % level.width;
      const y = (i - x) / level.width;
      box.x0 = Math.min(box.x0, x - RADIUS);
      box.x1 = Math.max(box.x1, x + RADIUS);
      box.y0 = Math.min(box.y0, y - RADIUS);
      box.y1 = Math.max(box.y1, y + RADIUS);
    }
    const smooth = blur(level, box);
    const factor = SCALE ** l;
    for (const i of chosen) {
      const x = i % level.width;
      const y = (i - x) / level.width;
      const angle = orientation(level, i);
      const bin = ((Math.round((angle / (2 * Math.PI)) * ANGLE_BINS) % ANGLE_BINS) + ANGLE_BINS) % ANGLE_BINS;
      const pattern = PATTERNS[bin]!;
      for (let byte = 0; byte < BYTES; byte++) {
        let v = 0;
        for (let bit = 0; bit < 8; bit++) {
          const p = (byte * 8 + bit) * 4;
          const a = smooth[i + pattern[p + 1]! * level.width + pattern[p]!]!;
          const b = smooth[i + pattern[p + 3]! * level.width + pattern[p + 2]!]!;
          if (a < b) v |= 1 << bit;
        }
        descriptors.push(v);
      }
      xy.push((x + 0.5) * factor - 0.5, (y + 0.5) * factor - 0.5);
    }
  }
  return { count: xy.length / 2, xy: Float32Array.from(xy), descriptors: Uint8Array.from(descriptors) };
}

/** Luma of RGB bytes (BT.601), as the keypoints see a letterboxed frame. */
export function greyOf(rgb: Uint8Array, width: number, height: number): GreyImage {
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (77 * rgb[3 * i]! + 150 * rgb[3 * i + 1]! + 29 * rgb[3 * i + 2]! + 128) >> 8;
  return { width, height, pixels };
}

/** Bytes of an encoded set of `count` keypoints: count (u32), then xy (f32 pairs), then descriptors. */
export const encodedKeypointsLength = (count: number): number => 4 + count * (8 + BYTES);

export function encodeKeypoints(k: Keypoints): Buffer {
  const out = Buffer.alloc(encodedKeypointsLength(k.count));
  out.writeUInt32LE(k.count, 0);
  Buffer.from(k.xy.buffer, k.xy.byteOffset, k.xy.byteLength).copy(out, 4);
  Buffer.from(k.descriptors.buffer, k.descriptors.byteOffset, k.descriptors.byteLength).copy(out, 4 + k.count * 8);
  return out;
}

export function decodeKeypoints(bytes: Uint8Array): Keypoints {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.readUInt32LE(0);
  if (view.length !== encodedKeypointsLength(count)) throw new Error('keypoint bytes are inconsistent');
  const xy = new Float32Array(count * 2);
  Buffer.from(xy.buffer).set(view.subarray(4, 4 + count * 8));
  return { count, xy, descriptors: Uint8Array.from(view.subarray(4 + count * 8)) };
}
