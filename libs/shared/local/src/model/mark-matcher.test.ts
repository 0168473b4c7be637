import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import * as simpleIcons from 'simple-icons';
import { seededRandom } from '@relabel/ports/testing';
import { cachedKeypoints } from './keypoint-cache';
import { MARK_FOUND } from './mark-check';
import { MarkMatcher } from './mark-matcher';

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

describe('MarkMatcher', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relabel-marks-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds the same banks and finds the same agreements on two threads as on one', async () => {
    const labels = ['apachemaven', 'docker'];
    const training = await Promise.all(Array.from({ length: 12 }, async (_, n) => ({ key: `images/${labels[n % 2]}/${n}.jpg`, label: labels[n % 2]!, bytes: await photo(labels[n % 2]!, n) })));
    const unseen = await Promise.all(Array.from({ length: 6 }, async (_, n) => ({ key: `test/${n}.jpg`, label: labels[n % 2]!, bytes: await photo(labels[n % 2]!, 100 + n) })));
    const one = new MarkMatcher<(typeof training)[number]>(cachedKeypoints(join(dir, 'one')), { threads: 1 });
    const two = new MarkMatcher<(typeof training)[number]>(cachedKeypoints(join(dir, 'two-main')), { threads: 2, keypointsDir: join(dir, 'two-helper') });
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
    const one = new MarkMatcher<(typeof training)[number]>(cachedKeypoints(join(dir, 'alone')), { threads: 1 });
    const two = new MarkMatcher<(typeof training)[number]>(cachedKeypoints(join(dir, 'failing-main')), { threads: 2, keypointsDir: join(dir, 'failing-helper') });
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

  it('refuses checks before the banks are built', async () => {
    const matcher = new MarkMatcher(cachedKeypoints(), { threads: 1 });
    await expect(matcher.agree({ key: 'a', label: 'a', bytes: Buffer.from('x') }, 0, -1)).rejects.toThrow(/not trained/);
    await matcher.close();
  });
});
