import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import * as simpleIcons from 'simple-icons';
import { seededRandom } from '@relabel/ports/testing';
import { cachedKeypoints } from './keypoint-cache';
import { MARK_FOUND } from './mark-check';
import type { FoldProblem, FoldTask } from './fold-predictions';
import { dot } from './linalg';
import { TrainingHelper } from './training-helper';

/**
 * Training's mark work on two threads must give exactly what one thread gives: the same banks and
 * the same agreements, whichever thread matched each check.
 */
const icons = Object.values(simpleIcons as unknown as Record<string, { slug: string; path: string; hex: string }>).filter((i) => i && typeof i.path === 'string');
const icon = (slug: string) => icons.find((i) => i.slug === slug)!;

async function photo(slug: string, seed: number) {
  const rng = seededRandom(seed);
  const [w, h] = [360, 280];
  const noise = Buffer.from(Array.from({ length: w * h * 3 }, () => 90 + Math.floor(rng() * 60)));
  const backdrop = await sharp(noise, { raw: { width: w, height: h, channels: 3 } }).blur(3).png().toBuffer();
  const { path, hex } = icon(slug);
  const [x, y, size, turn] = [130 + rng() * 100, 110 + rng() * 60, 140 + rng() * 60, (rng() - 0.5) * 30];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><g transform="translate(${x} ${y}) rotate(${turn}) scale(${size / 24}) translate(-12 -12)"><path d="${path}" fill="#${hex}"/></g></svg>`;
  return sharp(backdrop).composite([{ input: Buffer.from(svg) }]).jpeg({ quality: 85 }).toBuffer();
}

describe('TrainingHelper', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relabel-marks-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds the same banks and finds the same agreements on two threads as on one', async () => {
    const labels = ['apachemaven', 'docker'];
    const training = await Promise.all(Array.from({ length: 12 }, async (_, n) => ({ key: `images/${labels[n % 2]}/${n}.jpg`, label: labels[n % 2]!, bytes: await photo(labels[n % 2]!, n) })));
    const unseen = await Promise.all(Array.from({ length: 6 }, async (_, n) => ({ key: `test/${n}.jpg`, label: labels[n % 2]!, bytes: await photo(labels[n % 2]!, 100 + n) })));
    const one = new TrainingHelper<(typeof training)[number]>(cachedKeypoints(join(dir, 'one')), { threads: 1 });
    const two = new TrainingHelper<(typeof training)[number]>(cachedKeypoints(join(dir, 'two-main')), { threads: 2, keypointsDir: join(dir, 'two-helper') });
    try {
      const progress: number[] = [];
      const [a, b] = [await one.trainBanks(training, labels, () => undefined), await two.trainBanks(training, labels, (done) => progress.push(done))];
      expect(progress.at(-1)).toBe(training.length);
      expect(b.banks.map((bank) => [bank.images, bank.checkable, bank.words.length])).toEqual(a.banks.map((bank) => [bank.images, bank.checkable, bank.words.length]));
      expect(Array.from(b.banks[1]!.words)).toEqual(Array.from(a.banks[1]!.words));
      for (const image of training) {
        expect(b.slot.get(image)).toBe(a.slot.get(image));
        expect(b.ownAgreement.get(image)).toBe(a.ownAgreement.get(image));
      }
      // Every image against both banks, banked ones left out of their own: asked at once, so both threads match.
      const asks = [...training, ...unseen].flatMap((image) => [0, 1].map((top) => ({ image, top, leaveOut: labels[top] === image.label ? (a.slot.get(image) ?? -1) : -1 })));
      const [alone, shared] = [await Promise.all(asks.map((q) => one.agree(q.image, q.top, q.leaveOut))), await Promise.all(asks.map((q) => two.agree(q.image, q.top, q.leaveOut)))];
      expect(shared).toEqual(alone);
      // Not a vacuous match: some checks find a mark, others do not.
      expect(Math.max(...alone)).toBeGreaterThanOrEqual(MARK_FOUND);
      expect(Math.min(...alone)).toBeLessThan(MARK_FOUND);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('finishes on its own thread what a failed helper leaves: the same banks and agreements', async () => {
    const labels = ['apachemaven', 'docker'];
    const training = await Promise.all(Array.from({ length: 8 }, async (_, n) => ({ key: `images/${labels[n % 2]}/${n}.jpg`, label: labels[n % 2]!, bytes: await photo(labels[n % 2]!, 200 + n) })));
    const one = new TrainingHelper<(typeof training)[number]>(cachedKeypoints(join(dir, 'alone')), { threads: 1 });
    const two = new TrainingHelper<(typeof training)[number]>(cachedKeypoints(join(dir, 'failing-main')), { threads: 2, keypointsDir: join(dir, 'failing-helper') });
    try {
      const expected = await one.trainBanks(training, labels, () => undefined);
      // The helper dies while it builds the banks.
      const pending = two.trainBanks(training, labels, () => undefined);
      await (two as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      const banks = await pending;
      expect(banks.banks.map((b) => Array.from(b.words))).toEqual(expected.banks.map((b) => Array.from(b.words)));
      const asks = training.flatMap((image) => [0, 1].map((top) => ({ image, top })));
      expect(await Promise.all(asks.map((q) => two.agree(q.image, q.top, -1)))).toEqual(await Promise.all(asks.map((q) => one.agree(q.image, q.top, -1))));
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('fits the fold models on both threads to the same answers as on one, in task order', async () => {
    const rng = seededRandom(8);
    const [images, dims, classes] = [48, 24, 3];
    // Two rows per image (two views), clustered by class.
    const rows = Array.from({ length: images * 2 }, (_, r) => Float32Array.from({ length: dims }, (_, d) => (d % classes === Math.floor(r / 2) % classes ? 1 : 0) + (rng() - 0.5) * 0.8));
    const gramOf = (width: number) => Float64Array.from({ length: rows.length ** 2 }, (_, i) => dot(rows[Math.floor(i / rows.length)]!.subarray(0, width), rows[i % rows.length]!.subarray(0, width)));
    const folds = 5;
    const problem: FoldProblem = {
      problem: { gram: gramOf(dims), size: rows.length, classOf: Int32Array.from(rows, (_, r) => Math.floor(r / 2) % classes), classes, dims },
      screenProblem: { gram: gramOf(12), size: rows.length, classOf: Int32Array.from(rows, (_, r) => Math.floor(r / 2) % classes), classes, dims: 12 },
      familiarity: rows.map((r) => r.subarray(0, 12)),
      familiarityDims: 12,
      cvImages: Array.from({ length: images }, (_, i) => i),
      firstRow: Array.from({ length: images }, (_, i) => 2 * i),
      rowCount: Array.from({ length: images }, () => 2),
      detectViews: 1,
      folds,
    };
    const foldOf = Array.from({ length: images }, (_, i) => i % folds);
    const tasks: FoldTask[] = [
      ...Array.from({ length: folds }, (_, model) => ({ foldOf, trainFolds: 4, model, withScreen: true })),
      ...Array.from({ length: 3 }, (_, model) => ({ foldOf, trainFolds: 3, model, withScreen: false })),
    ];
    const one = new TrainingHelper(cachedKeypoints(), { threads: 1 });
    const two = new TrainingHelper(cachedKeypoints(), { threads: 2 });
    // Which tasks reach the helper: every message to it passes here.
    const worker = (two as unknown as { worker: { postMessage(message: object, transfer: unknown[]): void } }).worker;
    const post = worker.postMessage.bind(worker);
    let onHelper = 0;
    worker.postMessage = (message, transfer) => {
      if ('fold' in message) onHelper++;
      post(message, transfer);
    };
    try {
      const progress: number[] = [];
      const alone = await one.foldPredictions(problem, tasks, () => undefined);
      await two.foldPredictions(problem, tasks.slice(0, 1), () => undefined); // the helper has started
      onHelper = 0;
      // This thread is slow on purpose (30 ms per task), so the helper takes some of the tasks.
      const shared = await two.foldPredictions(problem, tasks, (done) => {
        progress.push(done);
        for (const until = performance.now() + 30; performance.now() < until; );
      });
      expect(onHelper).toBeGreaterThan(0);
      expect(onHelper).toBeLessThan(tasks.length);
      expect(JSON.parse(JSON.stringify(shared))).toEqual(JSON.parse(JSON.stringify(alone)));
      expect(progress).toEqual(tasks.map((_, i) => i + 1));
      expect(alone.map((answers) => answers[0]!.fold)).toEqual(tasks.map((t) => t.model));
      // Held out of the main run's model 0: the images of fold 0; most of them answered right.
      expect(alone[0]!.map((h) => h.owner)).toEqual(foldOf.flatMap((f, i) => (f === 0 ? [i] : [])));
      expect(alone[0]!.filter((h) => h.logits.indexOf(Math.max(...h.logits)) === h.y).length).toBeGreaterThan(alone[0]!.length / 2);
      // The helper dies between two tasks: this thread fits what is left, to the same answers.
      let killed = false;
      const after = await two.foldPredictions(problem, tasks, () => {
        if (!killed) void (two as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
        killed = true;
      });
      expect(JSON.parse(JSON.stringify(after))).toEqual(JSON.parse(JSON.stringify(alone)));
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('refuses checks before the banks are built', async () => {
    const helper = new TrainingHelper(cachedKeypoints(), { threads: 1 });
    await expect(helper.agree({ key: 'a', label: 'a', bytes: Buffer.from('x') }, 0, -1)).rejects.toThrow(/not trained/);
    await helper.close();
  });
});
