import sharp from 'sharp';

/**
 * Deterministic synthetic labelled images for tests and benches: each label gets its own mark (a
 * shape, a hue and an inner pattern) drawn at a random place, size and rotation on a cluttered
 * background (gradient, neutral distractor shapes, noise-like dots). Same options → same bytes.
 */
export interface SyntheticImageOptions {
  labels: readonly string[];
  perLabel: number;
  seed: number;
  /** Fixed frame size; when omitted every image gets its own size and aspect ratio (160–480 px). */
  width?: number;
  height?: number;
  format?: 'jpeg' | 'png';
  /** Mark size as a fraction of the shorter side, [min, max]; default [0.35, 0.7]. */
  markScale?: [number, number];
}

export interface SyntheticImage {
  label: string;
  /** File name, unique within one call, e.g. `circle-red-3.jpg`. */
  file: string;
  body: Buffer;
}

type Rng = () => number;

/** mulberry32: tiny, fast, good enough for test data. */
export function seededRandom(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Folds integers into one well-spread 32-bit seed (murmur3 finaliser per step). */
function mix(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const v of values) {
    h = Math.imul(h ^ (v >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

const SHAPES = ['circle', 'square', 'triangle', 'star', 'hexagon', 'cross', 'ring', 'diamond'] as const;
const PATTERNS = ['none', 'stripes', 'dot', 'bar'] as const;

function polygon(n: number, r: number, innerRatio = 1): string {
  const points: string[] = [];
  const steps = innerRatio === 1 ? n : n * 2;
  for (let i = 0; i < steps; i++) {
    const rr = innerRatio === 1 || i % 2 === 0 ? r : r * innerRatio;
    const a = (Math.PI * 2 * i) / steps - Math.PI / 2;
    points.push(`${(rr * Math.cos(a)).toFixed(1)},${(rr * Math.sin(a)).toFixed(1)}`);
  }
  return points.join(' ');
}

function shapeSvg(shape: (typeof SHAPES)[number], r: number, fill: string): string {
  switch (shape) {
    case 'circle':
      return `<circle r="${r}" fill="${fill}"/>`;
    case 'square':
      return `<rect x="${-r * 0.85}" y="${-r * 0.85}" width="${r * 1.7}" height="${r * 1.7}" fill="${fill}"/>`;
    case 'triangle':
      return `<polygon points="${polygon(3, r)}" fill="${fill}"/>`;
    case 'star':
      return `<polygon points="${polygon(5, r, 0.45)}" fill="${fill}"/>`;
    case 'hexagon':
      return `<polygon points="${polygon(6, r)}" fill="${fill}"/>`;
    case 'cross':
      return `<path d="M${-r * 0.3},${-r}h${r * 0.6}v${r * 0.7}h${r * 0.7}v${r * 0.6}h${-r * 0.7}v${r * 0.7}h${-r * 0.6}v${-r * 0.7}h${-r * 0.7}v${-r * 0.6}h${r * 0.7}z" fill="${fill}"/>`;
    case 'ring':
      return `<circle r="${r * 0.78}" fill="none" stroke="${fill}" stroke-width="${r * 0.4}"/>`;
    case 'diamond':
      return `<polygon points="0,${-r} ${r * 0.65},0 0,${r} ${-r * 0.65},0" fill="${fill}"/>`;
  }
}

function patternSvg(pattern: (typeof PATTERNS)[number], r: number): string {
  const ink = 'rgba(255,255,255,0.85)';
  switch (pattern) {
    case 'none':
      return '';
    case 'stripes':
      return [-0.4, 0, 0.4].map((k) => `<rect x="${-r * 0.5}" y="${r * k - r * 0.06}" width="${r}" height="${r * 0.12}" fill="${ink}"/>`).join('');
    case 'dot':
      return `<circle r="${r * 0.22}" fill="${ink}"/>`;
    case 'bar':
      return `<rect x="${-r * 0.08}" y="${-r * 0.55}" width="${r * 0.16}" height="${r * 1.1}" fill="${ink}"/>`;
  }
}

/** The mark that identifies label number `index` (stable for a given position in `labels`). */
function markFor(index: number): { shape: (typeof SHAPES)[number]; hue: number; pattern: (typeof PATTERNS)[number] } {
  return {
    shape: SHAPES[index % SHAPES.length]!,
    hue: Math.round((index * 137.508) % 360),
    pattern: PATTERNS[Math.floor(index / SHAPES.length) % PATTERNS.length]!,
  };
}

function backgroundSvg(rng: Rng, w: number, h: number): string {
  const g1 = `hsl(${Math.floor(rng() * 360)},${Math.floor(10 + rng() * 25)}%,${Math.floor(35 + rng() * 45)}%)`;
  const g2 = `hsl(${Math.floor(rng() * 360)},${Math.floor(10 + rng() * 25)}%,${Math.floor(35 + rng() * 45)}%)`;
  const parts = [
    `<defs><linearGradient id="g" x1="0" y1="0" x2="${rng().toFixed(2)}" y2="1"><stop offset="0" stop-color="${g1}"/><stop offset="1" stop-color="${g2}"/></linearGradient></defs>`,
    `<rect width="${w}" height="${h}" fill="url(#g)"/>`,
  ];
  const clutter = 4 + Math.floor(rng() * 8);
  for (let i = 0; i < clutter; i++) {
    const grey = Math.floor(rng() * 255);
    const colour = `rgba(${grey},${grey},${grey},${(0.15 + rng() * 0.35).toFixed(2)})`;
    const x = rng() * w;
    const y = rng() * h;
    const s = (0.05 + rng() * 0.25) * Math.min(w, h);
    parts.push(rng() < 0.5 ? `<ellipse cx="${x}" cy="${y}" rx="${s}" ry="${s * (0.4 + rng())}" fill="${colour}"/>` : `<rect x="${x}" y="${y}" width="${s * 1.6}" height="${s * 0.5}" fill="${colour}" transform="rotate(${Math.floor(rng() * 180)} ${x} ${y})"/>`);
  }
  return parts.join('');
}

function frameSize(rng: Rng, options: SyntheticImageOptions): { w: number; h: number } {
  if (options.width && options.height) return { w: options.width, h: options.height };
  const ratios = [1, 4 / 3, 3 / 4, 16 / 9, 9 / 16, 3 / 2];
  const ratio = ratios[Math.floor(rng() * ratios.length)]!;
  const long = Math.round(160 + rng() * 320);
  return ratio >= 1 ? { w: long, h: Math.round(long / ratio) } : { w: Math.round(long * ratio), h: long };
}

export async function renderSyntheticImage(index: number, rng: Rng, options: SyntheticImageOptions): Promise<Buffer> {
  const { w, h } = frameSize(rng, options);
  const [minScale, maxScale] = options.markScale ?? [0.35, 0.7];
  const mark = markFor(index);
  const size = Math.min(w, h) * (minScale + rng() * (maxScale - minScale));
  const r = size / 2;
  const cx = r + rng() * Math.max(0, w - size);
  const cy = r + rng() * Math.max(0, h - size);
  const fill = `hsl(${(mark.hue + Math.floor(rng() * 16) - 8 + 360) % 360},${Math.floor(65 + rng() * 25)}%,${Math.floor(40 + rng() * 15)}%)`;
  const rotate = Math.floor(rng() * 40) - 20;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${backgroundSvg(rng, w, h)}<g transform="translate(${cx.toFixed(1)} ${cy.toFixed(1)}) rotate(${rotate})">${shapeSvg(mark.shape, r, fill)}${patternSvg(mark.pattern, r)}</g></svg>`;
  const image = sharp(Buffer.from(svg));
  return options.format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: 70 + Math.floor(rng() * 25) }).toBuffer();
}

/** `perLabel` images for each label, in label order; deterministic by `seed`. */
export async function makeSyntheticImages(options: SyntheticImageOptions): Promise<SyntheticImage[]> {
  const ext = options.format === 'png' ? 'png' : 'jpg';
  const out: SyntheticImage[] = [];
  for (const [index, label] of options.labels.entries()) {
    for (let i = 0; i < options.perLabel; i++) {
      // Each image has its own stream, so an image does not change when labels or counts are added.
      const imageRng = seededRandom(mix(options.seed, index, i));
      out.push({ label, file: `${label}-${i}.${ext}`, body: await renderSyntheticImage(index, imageRng, options) });
    }
  }
  return out;
}
