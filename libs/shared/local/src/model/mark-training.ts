import { buildMarkBank, confirmMark, fitMarkOdds, MARK_FOUND, markAgreement, needsMarkCheck, type MarkBank } from './mark-check';
import type { KeypointsOf } from './keypoint-cache';
import type { Keypoints } from './keypoints';
import { argmax } from './metrics';
import { stableHash } from './random';

/**
 * Training images per label whose keypoints the mark check keeps. On the bench's open set (30
 * training images per label) a bank of all 30 and one of 20 found the marks equally well (model
 * README, "The mark check"); each image costs ≈ 25 ms of keypoints once (cached), so the bank is
 * capped to keep a 1,000-image training within its time budget.
 */
export const MARK_BANK_PER_LABEL = 20;

interface Image {
  key: string;
  label: string;
  bytes: Uint8Array;
}

/**
 * Bank images checked against the rest of their bank to decide whether the label is checkable
 * (the median must find the mark); a few suffice and each check costs ≈ 5 ms (15 on a slow box).
 */
const CHECKABLE_PROBES = 5;

const bufferOf = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export interface MarkBanks<T extends Image> {
  banks: MarkBank[];
  /** Where each banked image sits in its label's bank (so its own check can leave it out). */
  slot: Map<T, number>;
  /** Each banked image's keypoints (for the found-mark odds, without reading them again). */
  keypoints: Map<T, Keypoints>;
  /**
   * The probes' agreement with their own label's bank, themselves left out: the very check the
   * found-mark odds make of a right answer, so fitMarkOddsOn reuses it rather than matching again.
   */
  ownAgreement: Map<T, number>;
}

/**
 * The images each label's bank holds (in `labels` order): up to MARK_BANK_PER_LABEL, chosen by key
 * hash so that a retrain keeps most of the previous bank. The same images when given only these.
 */
export function bankedImages<T extends Image>(images: readonly T[], labels: readonly string[]): T[][] {
  return labels.map((label) =>
    images
      .filter((i) => i.label === label)
      .sort((a, b) => stableHash(a.key) - stableHash(b.key) || a.key.localeCompare(b.key))
      .slice(0, MARK_BANK_PER_LABEL),
  );
}

/** One bank per label (in `labels` order) of its bankedImages. */
export async function trainMarkBanks<T extends Image>(images: readonly T[], labels: readonly string[], keypointsOf: KeypointsOf, progress: (done: number, total: number) => void): Promise<MarkBanks<T>> {
  const chosen = bankedImages(images, labels);
  const total = chosen.reduce((n, c) => n + c.length, 0);
  let done = 0;
  const slot = new Map<T, number>();
  const known = new Map<T, Keypoints>();
  const ownAgreement = new Map<T, number>();
  const banks: MarkBank[] = [];
  for (const group of chosen) {
    const keypoints: Keypoints[] = [];
    for (const image of group) {
      // Unreadable: left out (training skips it too).
      const k = await keypointsOf(bufferOf(image.bytes)).catch(() => undefined);
      if (++done % 10 === 0 || done === total) progress(done, total);
      if (!k) continue;
      slot.set(image, keypoints.length);
      keypoints.push(k);
      known.set(image, k);
    }
    const bank = buildMarkBank(keypoints);
    const probes = group.filter((image) => slot.has(image)).slice(0, CHECKABLE_PROBES).map((image, i) => {
      const agreement = markAgreement(keypoints[i]!, bank, i);
      ownAgreement.set(image, agreement);
      return agreement;
    });
    probes.sort((a, b) => a - b);
    bank.checkable = probes.length > 1 && probes[Math.floor((probes.length - 1) / 2)]! >= MARK_FOUND;
    banks.push(bank);
  }
  return { banks, slot, keypoints: known, ownAgreement };
}

/**
 * How many keypoints of `image` agree with label `top`'s bank, the bank's image `leaveOut` left out
 * (−1: none). Training computes these on two threads (training-helper.ts); this is the one-thread way.
 */
export type Agree<T> = (image: T, top: number, leaveOut: number) => Promise<number>;

export function agreeLocally<T extends Image>(marks: MarkBanks<T>, keypointsOf: KeypointsOf): Agree<T> {
  return async (image, top, leaveOut) => markAgreement(marks.keypoints.get(image) ?? (await keypointsOf(bufferOf(image.bytes))), marks.banks[top]!, leaveOut);
}

/**
 * Cross-validated answers whose mark is looked for to fit the found-mark odds (fitMarkOdds). The
 * ratio rests mostly on the few wrong answers among them; each check costs ≈ 5–15 ms, so a
 * 1,000-image retrain looks at a sample (by key hash) rather than at all.
 */
export const MARK_ODDS_CHECKS = 150;

/**
 * The found-mark odds of a training: its banked images' cross-validated answers (`probs`, from a
 * model that did not see the image) checked as detection would check them, the image left out of
 * its own bank. Only banked images are used: their keypoints are in memory.
 */
export async function fitMarkOddsOn<T extends Image>(answers: readonly { probs: Float64Array; image: T }[], marks: MarkBanks<T>, labels: readonly string[], agree: Agree<T>): Promise<number> {
  const eligible = answers
    .map((a, order) => ({ ...a, order, top: argmax(a.probs) }))
    .filter((a) => marks.slot.has(a.image) && needsMarkCheck(a.probs, marks.banks[a.top]!))
    .sort((a, b) => stableHash(a.image.key) - stableHash(b.image.key) || a.order - b.order)
    .slice(0, MARK_ODDS_CHECKS);
  // Each image and label once (deals repeat answers), all asked at once so both threads work.
  const agreement = new Map<string, Promise<number>>();
  const checks = eligible.map((a) => {
    const right = labels[a.top] === a.image.label;
    const id = `${a.image.key}\u0000${a.top}`;
    const own = right ? marks.ownAgreement.get(a.image) : undefined;
    if (!agreement.has(id)) agreement.set(id, own !== undefined ? Promise.resolve(own) : agree(a.image, a.top, right ? marks.slot.get(a.image)! : -1));
    return agreement.get(id)!.then((n) => ({ right, found: n >= MARK_FOUND }));
  });
  return fitMarkOdds(await Promise.all(checks));
}

/** What detection returns for an image once its top label's mark is looked for (inference.ts). */
export async function checkMark<T extends Image>(probs: Float64Array, image: T, marks: MarkBanks<T>, labels: readonly string[], agree: Agree<T>, markOdds = 1): Promise<Float64Array> {
  const top = argmax(probs);
  if (!needsMarkCheck(probs, marks.banks[top]!)) return probs;
  const own = labels[top] === image.label ? marks.slot.get(image) : undefined;
  return confirmMark(probs, await agree(image, top, own ?? -1), markOdds);
}
