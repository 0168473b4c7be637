/** What the dataset registry remembers about a fingerprint that was trained before. */
export type DatasetOutcome = { outcome: 'deployed' | 'rejected' | 'failed'; runId: string; version?: string };

export interface CriteriaInput {
  force: boolean;
  validImages: number;
  lastDeployedDatasetImages: number;
  minimumUntrainedImages: number;
  /** what happened the last time this exact dataset was trained, if ever */
  previous: DatasetOutcome | null;
  /** labels with enough images for a train/test split */
  trainableLabels: number;
}

export type Decision = { train: true; untrained: number } | { train: false; untrained: number; reason: string };

/**
 * Whether a training check should train (the lock is taken afterwards). `force` only lifts the
 * untrained-images minimum and the "same data as a deployed version" rule: a dataset that failed or
 * was rejected is never paid for twice — it takes new images to try again.
 */
export function decideTraining(input: CriteriaInput): Decision {
  const untrained = Math.max(0, input.validImages - input.lastDeployedDatasetImages);
  const skip = (reason: string): Decision => ({ train: false, untrained, reason });
  if (!input.force && untrained < input.minimumUntrainedImages) {
    return skip(`${untrained} untrained images, fewer than Minimum-Untrained-Images (${input.minimumUntrainedImages})`);
  }
  const prev = input.previous;
  if (prev && prev.outcome !== 'deployed') {
    return skip(`this exact dataset was already ${prev.outcome} in run ${prev.runId}; add or change images to train again`);
  }
  if (prev && !input.force) {
    return skip(`this exact dataset already produced deployed version ${prev.version ?? prev.runId}; use force to retrain it`);
  }
  if (input.trainableLabels < 2) {
    return skip(`at least two labels with enough images for a train/test split are needed, found ${input.trainableLabels}`);
  }
  return { train: true, untrained };
}
