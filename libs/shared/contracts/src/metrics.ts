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
  /** macro averages over `labels` */
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

/** `labels` defaults to the sorted set of true labels; precision of a never-predicted label is 0. */
export function classificationScores(samples: readonly PredictionSample[], labels?: readonly string[]): ClassificationScores {
  const names = labels ? [...labels] : [...new Set(samples.map((s) => s.actual))].sort();
  const index = new Map(names.map((name, i) => [name, i]));
  const matrix = names.map(() => names.map(() => 0));
  let unmatched = 0;
  for (const { actual, predicted } of samples) {
    const row = index.get(actual);
    const col = predicted === null ? undefined : index.get(predicted);
    if (row !== undefined && col !== undefined) matrix[row]![col]! += 1;
    else unmatched += 1;
  }
  const perLabel = names.map((label, i) => {
    const tp = matrix[i]![i]!;
    const predictedAs = matrix.reduce((sum, row) => sum + row[i]!, 0);
    const support = samples.filter((s) => s.actual === label).length;
    const precision = ratio(tp, predictedAs);
    const recall = ratio(tp, support);
    return { label, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const mean = (pick: (s: LabelScore) => number) => ratio(perLabel.reduce((sum, s) => sum + pick(s), 0), perLabel.length);
  return {
    f1: mean((s) => s.f1),
    precision: mean((s) => s.precision),
    recall: mean((s) => s.recall),
    perLabel,
    testImages: samples.length,
    confusion: { labels: names, matrix },
    unmatched,
  };
}
