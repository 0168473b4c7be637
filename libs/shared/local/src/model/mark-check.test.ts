import sharp from 'sharp';
import * as simpleIcons from 'simple-icons';
import { seededRandom } from '@relabel/ports/testing';
import { detectKeypoints, greyOf, type Keypoints } from './keypoints';
import { buildMarkBank, confirmMark, fitMarkOdds, markAgreement, MARK_FOUND, needsMarkCheck, UNCONFIRMED_CAP } from './mark-check';
import { INPUT_SIZE, letterbox } from './preprocess';

/**
 * The mark check must find a training image's mark again in another photograph of it (turned,
 * resized, moved, on another backdrop) and must not find it in a photograph of another mark.
 */
const icons = Object.values(simpleIcons as unknown as Record<string, { slug: string; path: string; hex: string }>).filter((i) => i && typeof i.path === 'string');
const icon = (slug: string) => icons.find((i) => i.slug === slug)!;

async function scene(slug: string, pose: { x: number; y: number; size: number; turn: number }, seed: number): Promise<Keypoints> {
  const rng = seededRandom(seed);
  const w = 520;
  const h = 400;
  const noise = Buffer.from(Array.from({ length: w * h * 3 }, () => 90 + Math.floor(rng() * 60)));
  const backdrop = await sharp(noise, { raw: { width: w, height: h, channels: 3 } }).blur(3).png().toBuffer();
  const { path, hex } = icon(slug);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><g transform="translate(${pose.x} ${pose.y}) rotate(${pose.turn}) scale(${pose.size / 24}) translate(-12 -12)"><path d="${path}" fill="#${hex}"/></g></svg>`;
  const jpeg = await sharp(backdrop).composite([{ input: Buffer.from(svg) }]).jpeg({ quality: 80 }).toBuffer();
  return detectKeypoints(greyOf(await letterbox(jpeg), INPUT_SIZE, INPUT_SIZE));
}

describe('keypoints', () => {
  it('are deterministic and carry 32 bytes each', async () => {
    const pose = { x: 260, y: 200, size: 220, turn: 0 };
    const [a, b] = await Promise.all([scene('apachemaven', pose, 1), scene('apachemaven', pose, 1)]);
    expect(a.count).toBeGreaterThan(50);
    expect(a.descriptors.length).toBe(32 * a.count);
    expect(Buffer.from(a.descriptors).equals(Buffer.from(b.descriptors))).toBe(true);
    expect(Array.from(a.xy)).toEqual(Array.from(b.xy));
  });
});

describe('markAgreement', () => {
  let bank: ReturnType<typeof buildMarkBank>;
  beforeAll(async () => {
    bank = buildMarkBank([await scene('apachemaven', { x: 240, y: 190, size: 240, turn: 0 }, 2), await scene('bitcoinsv', { x: 260, y: 200, size: 220, turn: 5 }, 3)]);
  });

  it('finds a mark again turned, smaller and elsewhere on another backdrop', async () => {
    const again = await scene('apachemaven', { x: 300, y: 220, size: 170, turn: 18 }, 4);
    expect(markAgreement(again, bank)).toBeGreaterThanOrEqual(MARK_FOUND);
  });

  it('does not find it in a photograph of a mark it does not hold', async () => {
    const other = await scene('svelte', { x: 300, y: 220, size: 200, turn: 10 }, 5);
    expect(markAgreement(other, bank)).toBeLessThan(MARK_FOUND);
  });

  it('leaves out the image it is told to (a training image checked against its own label)', async () => {
    const maven = buildMarkBank([await scene('apachemaven', { x: 240, y: 190, size: 240, turn: 0 }, 2)]);
    const same = await scene('apachemaven', { x: 240, y: 190, size: 240, turn: 0 }, 2);
    expect(markAgreement(same, maven)).toBeGreaterThanOrEqual(30);
    expect(markAgreement(same, maven, 0)).toBe(0);
  });
});

describe('confirmMark', () => {
  const bank = (checkable: boolean) => buildMarkBank([], checkable);

  it('caps a sure answer whose mark is not found just under the review threshold, keeping the order', () => {
    const probs = Float64Array.from([0.9, 0.06, 0.04]);
    expect(needsMarkCheck(probs, bank(true))).toBe(true);
    const capped = confirmMark(probs, MARK_FOUND - 1);
    expect(Math.max(...capped)).toBeCloseTo(UNCONFIRMED_CAP, 10);
    expect(UNCONFIRMED_CAP).toBeLessThan(0.7);
    expect(capped[1]! / capped[2]!).toBeCloseTo(0.06 / 0.04, 10);
  });

  it('leaves found marks, unsure answers and uncheckable labels alone', () => {
    const probs = Float64Array.from([0.9, 0.1]);
    expect(Array.from(confirmMark(probs, MARK_FOUND))).toEqual([0.9, 0.1]);
    expect(needsMarkCheck(Float64Array.from([0.6, 0.4]), bank(true))).toBe(false);
    expect(needsMarkCheck(probs, bank(false))).toBe(false);
  });
});

describe('the found-mark odds', () => {
  const checks = (right: number, rightFound: number, wrong: number, wrongFound: number) => [
    ...Array.from({ length: right }, (_, i) => ({ right: true, found: i < rightFound })),
    ...Array.from({ length: wrong }, (_, i) => ({ right: false, found: i < wrongFound })),
  ];

  it('is how many times more often right answers have their mark found, each rate smoothed by one of each', () => {
    // (80 + 1) / (100 + 2) against (1 + 1) / (10 + 2).
    expect(fitMarkOdds(checks(100, 80, 10, 1))).toBeCloseTo((81 / 102) / (2 / 12), 10);
  });

  it('claims little from a few answers, and never that a found mark lowers confidence', () => {
    expect(fitMarkOdds(checks(3, 3, 1, 0))).toBeCloseTo((4 / 5) / (1 / 3), 10);
    expect(fitMarkOdds([])).toBe(1);
    expect(fitMarkOdds(checks(10, 2, 10, 8))).toBe(1);
  });

  it('raises a confirmed answer by its odds, the rest sharing what is left in their proportions', () => {
    const probs = Float64Array.from([0.8, 0.12, 0.06]); // 0.02 is "none of these"
    const raised = confirmMark(probs, MARK_FOUND, 10);
    expect(raised[0]).toBeCloseTo((0.8 * 10) / (0.8 * 10 + 0.2), 10);
    expect(raised[1]! / raised[2]!).toBeCloseTo(2, 10);
    expect(1 - raised[0]! - raised[1]! - raised[2]!).toBeCloseTo((0.02 * (1 - raised[0]!)) / 0.2, 10);
    // Not found, the odds change nothing: the answer is held under the threshold as before.
    expect(Math.max(...confirmMark(probs, MARK_FOUND - 1, 10))).toBeCloseTo(UNCONFIRMED_CAP, 10);
    // An answer too unsure to be checked is not raised.
    expect(Array.from(confirmMark(Float64Array.from([0.6, 0.4]), MARK_FOUND, 10))).toEqual([0.6, 0.4]);
  });
});
