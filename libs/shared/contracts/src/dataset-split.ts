import { createHash } from 'crypto';

/**
 * The train/test split every training uses. An image's side depends only on a stable hash of its
 * key, so it stays on the same side across versions and F1 values stay comparable; the split is
 * stratified because it is applied label by label.
 */
export const DATASET_SPLIT = {
  /** share of each label's images that go to the test set */
  testFraction: 0.2,
  /** fewer images than this cannot give a label one train and one test image */
  minImagesPerLabel: 2,
} as const;

/** A number in [0, 1) derived from the key alone (sha256), identical on every machine and run. */
export function stableKeyHash(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 0x1_0000_0000;
}

export interface LabelSplit<T> {
  label: string;
  train: T[];
  test: T[];
}

export interface ExcludedLabel {
  label: string;
  images: number;
  reason: string;
}

/**
 * Splits each label's images. A label whose hashes all fall on one side lends its image nearest to
 * the boundary to the other side (only labels that small ever move an image). Labels below the
 * minimum are excluded with a reason. Output is sorted by label, and by key inside each side.
 */
export function stratifiedSplit<T extends { key: string }>(
  byLabel: ReadonlyMap<string, readonly T[]>,
  options: { testFraction?: number; minImagesPerLabel?: number } = {},
): { labels: LabelSplit<T>[]; excluded: ExcludedLabel[] } {
  const testFraction = options.testFraction ?? DATASET_SPLIT.testFraction;
  const minImages = Math.max(2, options.minImagesPerLabel ?? DATASET_SPLIT.minImagesPerLabel);
  const labels: LabelSplit<T>[] = [];
  const excluded: ExcludedLabel[] = [];
  for (const label of [...byLabel.keys()].sort()) {
    const items = byLabel.get(label) ?? [];
    if (items.length < minImages) {
      excluded.push({ label, images: items.length, reason: `needs at least ${minImages} images for a train/test split, has ${items.length}` });
      continue;
    }
    const ranked = items.map((item) => ({ item, h: stableKeyHash(item.key) })).sort((a, b) => a.h - b.h || cmp(a.item.key, b.item.key));
    let testCount = ranked.filter((r) => r.h < testFraction).length;
    testCount = Math.min(Math.max(testCount, 1), ranked.length - 1);
    const byKey = (a: T, b: T) => cmp(a.key, b.key);
    labels.push({
      label,
      test: ranked.slice(0, testCount).map((r) => r.item).sort(byKey),
      train: ranked.slice(testCount).map((r) => r.item).sort(byKey),
    });
  }
  return { labels, excluded };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
