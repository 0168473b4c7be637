/**
 * Classification metrics from (true label, predicted label) pairs — pure, so the trainer (champion
 * evaluation) and the model services compute F1 the same way.
 */
export interface LabelScore {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** samples whose true label is this one */
  support: number;
}

export interface ClassificationScores {
  /** macro averages over the labels with test images (`scoresFromConfusion`) */
  f1: number;
  precision: number;
  recall: number;
  perLabel: LabelScore[];
  testImages: number;
  /** rows: true label, columns: predicted label, both in `labels` order */
  confusion: { labels: string[]; matrix: number[][] };
  /** samples with no prediction or a prediction outside `labels` (each is a miss) */
  unmatched: number;
}

export interface PredictionSample {
  actual: string;
  /** null when the model gave no label */
  predicted: string | null;
}

const ratio = (num: number, den: number) => (den === 0 ? 0 : num / den);

export interface ConfusionScores {
  perLabel: LabelScore[];
  /** macro averages over the labels with support > 0 */
  f1: number;
  precision: number;
  recall: number;
}

/**
 * Per-label precision, recall and F1 from a confusion matrix (rows: true label, columns: predicted
 * label, both in `labels` order), and their macro averages. The one definition of the F1 the gate
 * compares (docs/architecture.md, "Rules kept in one place").
 *
 * Macro averages count only the labels with at least one test image (support > 0). A label with
 * no test image has no recall; scoring it 0 would lower the figure, and leaving it out of the
 * denominator only, raise it, both by an accident of the split. Such a label is still reported in
 * `perLabel`, with support 0.
 *
 * `support` defaults to the row sums; pass it when some samples of a row have no column (a miss
 * with no prediction still counts against recall).
 */
export function scoresFromConfusion(labels: readonly string[], matrix: readonly (readonly number[])[], support?: readonly number[]): ConfusionScores {
  const perLabel = labels.map((label, i) => {
    const tp = matrix[i]![i]!;
    const predictedAs = matrix.reduce((sum, row) => sum + row[i]!, 0);
    const n = support?.[i] ?? matrix[i]!.reduce((a, b) => a + b, 0);
    const precision = ratio(tp, predictedAs);
    const recall = ratio(tp, n);
    return { label, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support: n };
  });
  const scored = perLabel.filter((s) => s.support > 0);
  const mean = (pick: (s: LabelScore) => number) => ratio(scored.reduce((sum, s) => sum + pick(s), 0), scored.length);
  return { perLabel, f1: mean((s) => s.f1), precision: mean((s) => s.precision), recall: mean((s) => s.recall) };
}

/** `labels` defaults to the sorted set of true labels; precision of a never-predicted label is 0. */
export function classificationScores(samples: readonly PredictionSample[], labels?: readonly string[]): ClassificationScores {
  const names = labels ? [...labels] : [...new Set(samples.map((s) => s.actual))].sort();
  const index = new Map(names.map((name, i) => [name, i]));
  const matrix = names.map(() => names.map(() => 0));
  const support = names.map(() => 0);
  let unmatched = 0;
  for (const { actual, predicted } of samples) {
    const row = index.get(actual);
    const col = predicted === null ? undefined : index.get(predicted);
    if (row !== undefined) support[row]! += 1;
    if (row !== undefined && col !== undefined) matrix[row]![col]! += 1;
    else unmatched += 1;
  }
  return { ...scoresFromConfusion(names, matrix, support), testImages: samples.length, confusion: { labels: names, matrix }, unmatched };
}
