import { stableHash } from './random';

/**
 * Fold assignment for cross-validation: stratified per label and deterministic (images ordered by
 * a stable hash of their key, then dealt round-robin), so an image lands in the same fold on every
 * retraining and the reported figures are comparable between versions.
 */
export function crossValidationFolds(items: readonly { key: string; label: string }[], folds: number): number[] {
  const out = new Array<number>(items.length).fill(0);
  const byLabel = new Map<string, number[]>();
  items.forEach((item, i) => byLabel.set(item.label, [...(byLabel.get(item.label) ?? []), i]));
  for (const group of byLabel.values()) {
    group.sort((a, b) => stableHash(items[a]!.key) - stableHash(items[b]!.key) || items[a]!.key.localeCompare(items[b]!.key));
    group.forEach((i, n) => (out[i] = n % folds));
  }
  return out;
}

/**
 * Fold counts: the main run (5 folds: each model sees 80 % of the images) and a second, coarser one
 * (3 folds, 67 %) that tells how fast confidence grows with data (see extrapolateTemperature).
 */
export function foldsFor(images: number): { main: number; second: number } {
  return images >= 10 ? { main: 5, second: 3 } : { main: Math.max(2, Math.min(5, images)), second: 2 };
}

/** A stratified, deterministic subset of item indexes keeping about `share` of each label. */
export function stratifiedSubset(items: readonly { key: string; label: string }[], share: number): number[] {
  const byLabel = new Map<string, number[]>();
  items.forEach((item, i) => byLabel.set(item.label, [...(byLabel.get(item.label) ?? []), i]));
  return [...byLabel.values()].flatMap((group) =>
    group.sort((a, b) => stableHash(items[a]!.key) - stableHash(items[b]!.key)).slice(0, Math.max(2, Math.round(group.length * share))),
  );
}

/** Sample standard deviation (0 for fewer than two values). */
export function spread(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.round(Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1)) * 1e4) / 1e4;
}
