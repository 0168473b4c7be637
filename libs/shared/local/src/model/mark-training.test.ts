import { seededRandom } from '@relabel/ports/testing';
import type { Keypoints } from './keypoints';
import { markAgreement, UNCONFIRMED_CAP } from './mark-check';
import { agreeLocally, checkMark, fitMarkOddsOn, MARK_BANK_PER_LABEL, MARK_ODDS_CHECKS, trainMarkBanks } from './mark-training';

/**
 * Banks from synthetic keypoints: a "mark" label whose images carry the same 60 keypoints moved
 * elsewhere (so they find each other), and a "blank" label whose images share nothing.
 */
const rng = seededRandom(21);
const base = { xy: Float32Array.from({ length: 120 }, () => 40 + rng() * 300), descriptors: Uint8Array.from({ length: 60 * 32 }, () => Math.floor(rng() * 256)) };
const moved = (dx: number, dy: number): Keypoints => ({ count: 60, xy: base.xy.map((v, i) => v + (i % 2 === 0 ? dx : dy)), descriptors: base.descriptors });
const unrelated = (): Keypoints => ({ count: 60, xy: Float32Array.from({ length: 120 }, () => rng() * 448), descriptors: Uint8Array.from({ length: 60 * 32 }, () => Math.floor(rng() * 256)) });

const byBytes = new Map<string, Keypoints>();
const image = (label: string, n: number, keypoints: Keypoints) => {
  const bytes = Buffer.from(`${label}-${n}`);
  byBytes.set(bytes.toString(), keypoints);
  return { key: `images_labeled_by_folder/${label}/${n}.jpg`, label, bytes };
};
const keypointsOf = async (bytes: Buffer) => byBytes.get(bytes.toString())!;
const images = [
  ...Array.from({ length: 25 }, (_, n) => image('mark', n, moved(n * 2, n))),
  ...Array.from({ length: 6 }, (_, n) => image('blank', n, unrelated())),
];

describe('trainMarkBanks', () => {
  it('banks at most MARK_BANK_PER_LABEL images per label, the same ones in any order', async () => {
    const a = await trainMarkBanks(images, ['blank', 'mark'], keypointsOf, () => undefined);
    const b = await trainMarkBanks([...images].reverse(), ['blank', 'mark'], keypointsOf, () => undefined);
    expect(a.banks.map((bank) => bank.images)).toEqual([6, MARK_BANK_PER_LABEL]);
    const chosen = (m: typeof a) => [...m.slot.keys()].map((i) => i.key).sort();
    expect(chosen(b)).toEqual(chosen(a));
  });

  it('leaves an image it cannot read out of its bank, and banks the rest', async () => {
    const broken = images.filter((i) => i.label === 'blank')[2]!;
    const failing = async (bytes: Buffer) => {
      if (bytes.equals(broken.bytes)) throw new Error('corrupt');
      return keypointsOf(bytes);
    };
    const marks = await trainMarkBanks(images, ['blank', 'mark'], failing, () => undefined);
    expect(marks.slot.has(broken)).toBe(false);
    expect(marks.banks.map((bank) => bank.images)).toEqual([5, MARK_BANK_PER_LABEL]);
    expect([...marks.slot.values()].filter((_, i) => [...marks.slot.keys()][i]!.label === 'blank').sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('checks only labels whose images find each other', async () => {
    const { banks } = await trainMarkBanks(images, ['blank', 'mark'], keypointsOf, () => undefined);
    expect(banks.map((bank) => bank.checkable)).toEqual([false, true]);
  });
});

describe('checkMark', () => {
  it('keeps a sure answer whose mark is found and holds one whose mark is not under the threshold', async () => {
    const marks = await trainMarkBanks(images, ['blank', 'mark'], keypointsOf, () => undefined);
    const sure = Float64Array.from([0.05, 0.95]);
    const found = await checkMark(sure, image('mark', 99, moved(30, 30)), marks, ['blank', 'mark'], agreeLocally(marks, keypointsOf));
    expect(Array.from(found)).toEqual([0.05, 0.95]);
    const other = await checkMark(sure, image('other', 1, unrelated()), marks, ['blank', 'mark'], agreeLocally(marks, keypointsOf));
    expect(Math.max(...other)).toBeCloseTo(UNCONFIRMED_CAP, 10);
  });

  it('leaves a banked training image out of its own check', async () => {
    const lone = [image('solo', 0, moved(0, 0)), image('solo', 1, unrelated()), image('blank', 7, unrelated())];
    const marks = await trainMarkBanks(lone, ['blank', 'solo'], keypointsOf, () => undefined);
    marks.banks[1]!.checkable = true;
    const checked = await checkMark(Float64Array.from([0.1, 0.9]), lone[0]!, marks, ['blank', 'solo'], agreeLocally(marks, keypointsOf));
    expect(Math.max(...checked)).toBeCloseTo(UNCONFIRMED_CAP, 10);
  });
});

describe('fitMarkOddsOn', () => {
  const labels = ['blank', 'mark'];

  it('fits the odds on the sure held-out answers of banked images, checked against their top label', async () => {
    const marks = await trainMarkBanks(images, labels, keypointsOf, () => undefined);
    const banked = [...marks.slot.keys()];
    const marked = banked.filter((i) => i.label === 'mark');
    const blanks = banked.filter((i) => i.label === 'blank');
    // Right answers of "mark" (their mark is found in the other banked images), wrong "mark" answers
    // for the blank images (no mark found), and answers too unsure to be checked.
    const answers = [
      ...marked.map((image) => ({ image, probs: Float64Array.from([0.1, 0.9]) })),
      ...blanks.map((image) => ({ image, probs: Float64Array.from([0.2, 0.8]) })),
      ...marked.map((image) => ({ image, probs: Float64Array.from([0.45, 0.55]) })),
    ];
    const odds = await fitMarkOddsOn(answers, marks, labels, agreeLocally(marks, keypointsOf));
    const right = Math.min(marked.length, MARK_ODDS_CHECKS);
    expect(odds).toBeCloseTo(((right + 1) / (right + 2)) / (1 / (blanks.length + 2)), 10);
  });

  it('does not count images outside the banks (their keypoints are not known)', async () => {
    const marks = await trainMarkBanks(images, labels, keypointsOf, () => undefined);
    const outside = images.filter((i) => !marks.slot.has(i));
    expect(outside.length).toBeGreaterThan(0);
    const odds = await fitMarkOddsOn(outside.map((image) => ({ image, probs: Float64Array.from([0.1, 0.9]) })), marks, labels, agreeLocally(marks, keypointsOf));
    expect(odds).toBe(1);
  });

  it('reuses the probes\' own-bank agreements, which equal the check the odds would make', async () => {
    const marks = await trainMarkBanks(images, labels, keypointsOf, () => undefined);
    expect(marks.ownAgreement.size).toBeGreaterThan(0);
    for (const [image, agreement] of marks.ownAgreement) {
      expect(agreement).toBe(markAgreement(marks.keypoints.get(image)!, marks.banks[labels.indexOf(image.label)]!, marks.slot.get(image)!));
    }
    // A reused value is what the odds see: a probe recorded as not found turns a right answer into a miss.
    const probe = [...marks.ownAgreement.keys()].find((i) => i.label === 'mark')!;
    const answers = [{ image: probe, probs: Float64Array.from([0.1, 0.9]) }];
    expect(await fitMarkOddsOn(answers, marks, labels, agreeLocally(marks, keypointsOf))).toBeCloseTo((2 / 3) / (1 / 2), 10);
    marks.ownAgreement.set(probe, 0);
    expect(await fitMarkOddsOn(answers, marks, labels, agreeLocally(marks, keypointsOf))).toBe(1);
  });
});
