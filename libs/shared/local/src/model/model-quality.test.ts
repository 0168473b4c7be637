import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { silentLogger, type ObjectStore } from '@relabel/ports';
import { groundTruthLine, seededRandom, waitForStatus } from '@relabel/ports/testing';
import { createFsObjectStore } from '../object-store/fs-object-store';
import { createLocalModelService } from './local-model-service.adapter';
import { UNCONFIRMED_CAP } from './mark-check';

/**
 * What the model must get right for the human loop to work on small data (docs/architecture.md,
 * "The local model"): it must not learn a plate colour instead of the mark, must be unsure of marks
 * it was never taught, and its gate must pass a clean 10-image dataset and fail a meaningless one.
 */
const cacheDir = join(tmpdir(), 'relabel-model-cache');
jest.setTimeout(180_000);

const SHAPES: Record<string, (r: number) => string> = {
  star: (r) => `<polygon points="${points(5, r, 0.42)}"/>`,
  circle: (r) => `<circle r="${r}"/>`,
  square: (r) => `<rect x="${-r * 0.8}" y="${-r * 0.8}" width="${r * 1.6}" height="${r * 1.6}"/>`,
  triangle: (r) => `<polygon points="${points(3, r, 1)}"/>`,
  cross: (r) => `<path d="M${-r * 0.3},${-r}h${r * 0.6}v${r * 0.7}h${r * 0.7}v${r * 0.6}h${-r * 0.7}v${r * 0.7}h${-r * 0.6}v${-r * 0.7}h${-r * 0.7}v${-r * 0.6}h${r * 0.7}z"/>`,
  ring: (r) => `<circle r="${r * 0.75}" fill="none" stroke-width="${r * 0.35}"/>`,
  heart: (r) => `<path d="M0,${r * 0.9} C${-r * 1.6},${-r * 0.2} ${-r * 0.6},${-r * 1.3} 0,${-r * 0.4} C${r * 0.6},${-r * 1.3} ${r * 1.6},${-r * 0.2} 0,${r * 0.9}z"/>`,
};

function points(n: number, r: number, inner: number): string {
  const steps = inner === 1 ? n : 2 * n;
  return Array.from({ length: steps }, (_, i) => {
    const rr = inner === 1 || i % 2 === 0 ? r : r * inner;
    const a = (2 * Math.PI * i) / steps - Math.PI / 2;
    return `${(rr * Math.cos(a)).toFixed(1)},${(rr * Math.sin(a)).toFixed(1)}`;
  }).join(' ');
}

/** A white mark on a coloured plate, placed, sized and turned at random, on a light backdrop. */
async function mark(shape: string, plate: string, rng: () => number): Promise<Buffer> {
  const [w, h] = [280 + Math.floor(rng() * 120), 240 + Math.floor(rng() * 120)];
  const size = Math.min(w, h) * (0.5 + rng() * 0.3);
  const cx = size / 2 + rng() * (w - size);
  const cy = size / 2 + rng() * (h - size);
  const grey = 200 + Math.floor(rng() * 50);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="${w}" height="${h}" fill="rgb(${grey},${grey},${grey})"/>
    <g transform="translate(${cx.toFixed(1)} ${cy.toFixed(1)}) rotate(${(rng() * 40 - 20).toFixed(1)})"><rect x="${-size / 2}" y="${-size / 2}" width="${size}" height="${size}" rx="${size * 0.12}" fill="${plate}"/>
    <g fill="#fff" stroke="#fff">${SHAPES[shape]!(size * 0.33)}</g></g></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 88 }).toBuffer();
}

async function dataset(store: ObjectStore, prefix: string, spec: { label: string; shape: string; plate: string; train: number; test: number }[], seed: number) {
  const rng = seededRandom(seed);
  const lines = { train: [] as string[], test: [] as string[] };
  for (const s of spec)
    for (let i = 0; i < s.train + s.test; i++) {
      const key = `images_labeled_by_folder/${s.label}/${prefix}-${i}.jpg`;
      await store.put(key, await mark(s.shape, s.plate, rng));
      (i < s.train ? lines.train : lines.test).push(groundTruthLine(store.bucket, key, s.label));
    }
  await store.put(`manifests/${prefix}/train.manifest`, Buffer.from(lines.train.join('\n')));
  await store.put(`manifests/${prefix}/test.manifest`, Buffer.from(lines.test.join('\n')));
  return { trainManifestKey: `manifests/${prefix}/train.manifest`, testManifestKey: `manifests/${prefix}/test.manifest` };
}

describe('local model on small data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relabel-quality-'));
  const store = createFsObjectStore({ root: join(dir, 'bucket'), bucket: 'quality' });
  const service = createLocalModelService({ store, logger: silentLogger }, { cacheDir });
  afterAll(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const train = async (version: string, manifests: { trainManifestKey: string; testManifestKey: string }) => {
    await service.createVersion({ version, ...manifests });
    const info = await waitForStatus(service, version, ['TRAINING_COMPLETED', 'TRAINING_FAILED'], 150_000);
    expect(info.status).toBe('TRAINING_COMPLETED');
    await service.startVersion(version, 1);
    await waitForStatus(service, version, ['RUNNING'], 60_000);
    return info;
  };

  it('learns the mark, not the plate colour, from 5 images per label, and passes its gate honestly', async () => {
    // Every training star sits on a red plate and every circle on a blue one.
    const info = await train(
      'shortcut',
      await dataset(store, 'shortcut', [
        { label: 'star', shape: 'star', plate: '#d02020', train: 4, test: 1 },
        { label: 'circle', shape: 'circle', plate: '#2040d0', train: 4, test: 1 },
      ], 5),
    );
    // Two test images cannot carry a gate; cross-validation over all ten can, and these are clear.
    expect(info.evaluation).toMatchObject({ method: 'cross-validation', testImages: 10 });
    expect(info.evaluation!.f1).toBeGreaterThanOrEqual(0.8);
    const rng = seededRandom(99);
    let right = 0;
    for (let i = 0; i < 6; i++) {
      const [shape, plate] = i % 2 === 0 ? ['star', '#2040d0'] : ['circle', '#d02020'];
      const [top] = await service.detect('shortcut', { bytes: await mark(shape, plate, rng) }, { maxResults: 1 });
      if (top!.name === shape) right++;
    }
    expect(right).toBeGreaterThanOrEqual(5);
  });

  it('is unsure of marks it was never taught', async () => {
    await train(
      'known',
      await dataset(store, 'known', [
        { label: 'star', shape: 'star', plate: '#2a7a3a', train: 5, test: 1 },
        { label: 'square', shape: 'square', plate: '#2a7a3a', train: 5, test: 1 },
      ], 8),
    );
    const rng = seededRandom(123);
    const unknown: number[] = [];
    for (const shape of ['triangle', 'cross', 'ring', 'heart'])
      for (const plate of ['#2a7a3a', '#8a2a7a']) unknown.push((await service.detect('known', { bytes: await mark(shape, plate, rng) }, { maxResults: 1 }))[0]!.confidence);
    const known: number[] = [];
    for (const shape of ['star', 'square']) for (let i = 0; i < 3; i++) known.push((await service.detect('known', { bytes: await mark(shape, '#2a7a3a', rng) }, { maxResults: 1 }))[0]!.confidence);
    // Never-taught marks fall below the default review threshold (70), so the loop starts, while
    // taught marks stay above it. Near misses (a triangle next to a taught star, a cross next to a
    // taught square) can still pass for the nearest known mark: at least the other half is caught.
    // A taught plain shape whose mark check finds too few keypoints is held just under the
    // threshold (mark-check.ts), never lower: a human confirms it.
    expect(unknown.filter((c) => c < 70).length).toBeGreaterThanOrEqual(5);
    expect(known.filter((c) => c >= 70).length).toBeGreaterThanOrEqual(4);
    expect(Math.min(...known)).toBeGreaterThanOrEqual(100 * UNCONFIRMED_CAP);
    expect(known.reduce((a, b) => a + b, 0) / known.length).toBeGreaterThan(unknown.reduce((a, b) => a + b, 0) / unknown.length);
  });

  it('fails the gate on a dataset whose folders say nothing about the images, and is not sure of them', async () => {
    // Both folders hold the same mix of marks: no label can be learnt.
    const rng = seededRandom(4);
    const lines = { train: [] as string[], test: [] as string[] };
    for (let i = 0; i < 12; i++) {
      const label = i % 2 === 0 ? 'left' : 'right';
      const key = `images_labeled_by_folder/${label}/noise-${i}.jpg`;
      await store.put(key, await mark(['star', 'circle', 'square'][Math.floor(i / 2) % 3]!, '#555', rng));
      (i < 10 ? lines.train : lines.test).push(groundTruthLine(store.bucket, key, label));
    }
    await store.put('manifests/noise/train.manifest', Buffer.from(lines.train.join('\n')));
    await store.put('manifests/noise/test.manifest', Buffer.from(lines.test.join('\n')));
    const info = await train('noise', { trainManifestKey: 'manifests/noise/train.manifest', testManifestKey: 'manifests/noise/test.manifest' });
    expect(info.evaluation!.method).toBe('cross-validation');
    expect(info.evaluation!.f1).toBeLessThan(0.8);
    const [top] = await service.detect('noise', { bytes: await mark('star', '#555', rng) }, { maxResults: 1 });
    expect(top!.confidence).toBeLessThan(80);
  });
});
