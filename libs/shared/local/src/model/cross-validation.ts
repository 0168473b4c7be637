import { stableHash } from './random';

/**
 * Fold assignment for cross-validation: stratified per label and deterministic (images ordered by
 * a stable hash of their key, then dealt round-robin), so an image lands in the same fold on every
 * retraining and the reported figures are comparable between versions. `deal` > 0 orders by
 * another hash of the keys: an independent assignment of the same images, for repeated runs.
 */
export function crossValidationFolds(items: readonly { key: string; label: string }[], folds: number, deal = 0): number[] {
  const out = new Array<number>(items.length).fill(0);
  for (const group of stratifiedOrder(items, deal === 0 ? undefined : String(deal))) group.forEach((i, n) => (out[i] = n % folds));
  return out;
}

/**
 * Fold counts: the main run (5 folds: each model trains on 4 and predicts 1, so it sees 80 % of the
 * images), and the second run on the same folds, which tells how fast confidence grows with data
 * (see extrapolateTemperature): 3 models, each trained on 3 folds (60 %) and predicting the other 2.
 */
export function foldsFor(images: number): { main: number; second: { trainsOn: number; models: number } } {
  const main = images >= 10 ? 5 : Math.max(2, Math.min(5, images));
  return { main, second: { trainsOn: Math.max(1, main - 2), models: Math.min(3, main) } };
}

/**
 * Indexes of the items grouped by label, each group ordered by a stable hash of its keys (salted:
 * another order of the same items, independent of the unsalted one).
 */
export function stratifiedOrder(items: readonly { key: string; label: string }[], salt?: string): number[][] {
  const byLabel = new Map<string, number[]>();
  items.forEach((item, i) => byLabel.set(item.label, [...(byLabel.get(item.label) ?? []), i]));
  const hash = items.map((item) => stableHash(salt === undefined ? item.key : `${salt}:${item.key}`));
  return [...byLabel.values()].map((group) => group.sort((a, b) => hash[a]! - hash[b]! || items[a]!.key.localeCompare(items[b]!.key)));
}

/** A stratified, deterministic subset of item indexes keeping about `share` of each label. */
export function stratifiedSubset(items: readonly { key: string; label: string }[], share: number): number[] {
  return stratifiedOrder(items).flatMap((group) => group.slice(0, Math.max(2, Math.round(group.length * share))));
}

/** Sample standard deviation (0 for fewer than two values). */
export function spread(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.round(Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1)) * 1e4) / 1e4;
}
