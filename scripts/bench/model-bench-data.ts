/**
 * Held-out "logos in the wild" set for the model bench: brand marks from `simple-icons` (CC0)
 * rendered with sharp onto noisy, blurred, tinted textures with distractor marks, at 20–70% of the
 * shorter side, rotated and skewed, on a plate or not, JPEG-compressed, in frames of varied aspect
 * ratio up to 1024 px. Deterministic (seeded): the same seed renders the same bytes.
 */
import sharp from 'sharp';
import * as simpleIcons from 'simple-icons';
import type { ObjectStore } from '@relabel/ports';
import { seededRandom } from '@relabel/ports/testing';

export interface BenchImage {
  key: string;
  label: string;
  labelIndex: number;
  /** n-th image of its label (train images are taken in this order). */
  index: number;
  body: Buffer;
}

interface Icon {
  slug: string;
  hex: string;
  path: string;
}

/** `offset` > 0 picks other brands than the bench's (for calibration data the bench never scores). */
function pickIcons(count: number, offset = 0): { chosen: Icon[]; distractors: Icon[] } {
  const all = Object.values(simpleIcons as unknown as Record<string, Icon>)
    .filter((i) => i && typeof i.path === 'string' && i.path.length > 300)
    .sort((a, b) => a.slug.localeCompare(b.slug));
  const coloured = all.filter((i) => !/^(000000|FFFFFF|181717|222222)$/i.test(i.hex));
  const step = Math.floor(coloured.length / count);
  const chosen = Array.from({ length: count }, (_, i) => coloured[i * step + (offset % step)]!);
  const used = new Set(chosen.map((c) => c.slug));
  return { chosen, distractors: all.filter((i) => !used.has(i.slug)).filter((_, i) => i % 37 === 0) };
}

/** Standard normal quantiles at 4,096 evenly spaced levels (Abramowitz & Stegun 26.2.23, |error| < 4.5e-4). */
const NORMAL_LEVELS = Float32Array.from({ length: 4096 }, (_, i) => {
  const p = (i + 0.5) / 4096;
  const t = Math.sqrt(-2 * Math.log(Math.min(p, 1 - p)));
  const x = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
  return p < 0.5 ? -x : x;
});

/**
 * Gaussian pixel noise drawn from the image's own seeded generator. sharp's `create.noise` has no
 * seed, so with it every bench run rendered different images and runs could not be compared. Its
 * own generator: the layouts draw the same numbers as they did before the noise was seeded.
 */
function gaussianNoise(width: number, height: number, mean: number, sigma: number, next: () => number): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.max(0, Math.min(255, Math.round(mean + sigma * NORMAL_LEVELS[Math.floor(next() * 4096)]!)));
  return pixels;
}

async function render(icon: Icon, distractors: Icon[], rng: () => number, noiseRng: () => number): Promise<Buffer> {
  const ratios = [1, 4 / 3, 3 / 4, 16 / 9, 9 / 16, 3 / 2, 2];
  const ratio = ratios[Math.floor(rng() * ratios.length)]!;
  const long = Math.round(320 + rng() * 704);
  const [w, h] = ratio >= 1 ? [long, Math.round(long / ratio)] : [Math.round(long * ratio), long];
  const texture = await sharp(gaussianNoise(w, h, 60 + rng() * 140, 20 + rng() * 60, noiseRng), { raw: { width: w, height: h, channels: 3 } })
    .blur(0.5 + rng() * 6)
    .tint({ r: Math.floor(rng() * 255), g: Math.floor(rng() * 255), b: Math.floor(rng() * 255) })
    .png()
    .toBuffer();
  const mark = (i: Icon, cx: number, cy: number, size: number, fill: string, extra = '') =>
    `<g transform="translate(${cx.toFixed(1)} ${cy.toFixed(1)}) ${extra} scale(${(size / 24).toFixed(3)}) translate(-12 -12)"><path d="${i.path}" fill="${fill}"/></g>`;
  const parts: string[] = [];
  const clutter = Math.floor(rng() * 5);
  for (let k = 0; k < clutter; k++) {
    const d = distractors[Math.floor(rng() * distractors.length)]!;
    const grey = Math.floor(rng() * 255);
    parts.push(mark(d, rng() * w, rng() * h, Math.min(w, h) * (0.1 + rng() * 0.3), `rgba(${grey},${grey},${grey},0.6)`, `rotate(${Math.floor(rng() * 360)})`));
  }
  const size = Math.min(w, h) * (0.2 + rng() * 0.5);
  const cx = size / 2 + rng() * (w - size);
  const cy = size / 2 + rng() * (h - size);
  const pose = `rotate(${(rng() * 50 - 25).toFixed(1)}) skewX(${(rng() * 30 - 15).toFixed(1)})`;
  const plate = rng();
  if (plate < 0.35) {
    // Brand-coloured plate with a white mark, as on signs and app icons.
    parts.push(`<g transform="translate(${cx.toFixed(1)} ${cy.toFixed(1)}) ${pose}"><rect x="${-size * 0.6}" y="${-size * 0.6}" width="${size * 1.2}" height="${size * 1.2}" rx="${size * 0.15}" fill="#${icon.hex}"/></g>`);
    parts.push(mark(icon, cx, cy, size * 0.85, '#fff', pose));
  } else if (plate < 0.55) {
    parts.push(`<g transform="translate(${cx.toFixed(1)} ${cy.toFixed(1)}) ${pose}"><rect x="${-size * 0.6}" y="${-size * 0.6}" width="${size * 1.2}" height="${size * 1.2}" rx="${size * 0.1}" fill="#fff"/></g>`);
    parts.push(mark(icon, cx, cy, size * 0.85, `#${icon.hex}`, pose));
  } else {
    parts.push(mark(icon, cx, cy, size, `#${icon.hex}`, pose));
  }
  const overlay = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${parts.join('')}</svg>`);
  return sharp(texture).composite([{ input: overlay }]).jpeg({ quality: Math.floor(60 + rng() * 30) }).toBuffer();
}

/** Writes the train pool and the held-out test set into the store under `images_labeled_by_folder/`. */
export async function benchDataset(store: ObjectStore, opts: { labels: number; trainPerLabel: number; testPerLabel: number; seed?: number; iconOffset?: number }) {
  const { chosen, distractors } = pickIcons(opts.labels, opts.iconOffset);
  const train: BenchImage[] = [];
  const test: BenchImage[] = [];
  for (const [labelIndex, icon] of chosen.entries()) {
    const rng = seededRandom((opts.seed ?? 7) * 1000 + labelIndex);
    const noiseRng = seededRandom(((opts.seed ?? 7) * 1000 + labelIndex) ^ 0x5bd1e995);
    for (let n = 0; n < opts.trainPerLabel + opts.testPerLabel; n++) {
      const isTest = n >= opts.trainPerLabel;
      const key = `images_labeled_by_folder/${icon.slug}/${isTest ? 'test' : 'train'}-${n}.jpg`;
      const body = await render(icon, distractors, rng, noiseRng);
      await store.put(key, body);
      (isTest ? test : train).push({ key, label: icon.slug, labelIndex, index: isTest ? n - opts.trainPerLabel : n, body });
    }
  }
  return { train, test, labels: chosen.map((c) => c.slug) };
}
