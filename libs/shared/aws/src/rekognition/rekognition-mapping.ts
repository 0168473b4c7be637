import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition';
import type { ModelEvaluation, ModelStatus, ModelVersionInfo } from '@relabel/ports';

/** `…:project/<project>/version/<name>/<timestamp>` → `<name>` */
export function versionNameOf(arn: string | undefined): string | null {
  const m = /\/version\/([^/]+)\/\d+$/.exec(arn ?? '');
  return m ? m[1]! : null;
}

/** VersionName as Rekognition accepts it. */
export const VERSION_NAME = /^[a-zA-Z0-9_.-]{1,255}$/;

/**
 * Rekognition has more states than the port: copies behave like trainings; a deprecated or expired
 * version can no longer be started, which is what FAILED means here; a version being deleted is left
 * out by the caller.
 */
export function modelStatus(status: string | undefined): ModelStatus | null {
  switch (status) {
    case 'TRAINING_IN_PROGRESS':
    case 'TRAINING_COMPLETED':
    case 'TRAINING_FAILED':
    case 'STARTING':
    case 'RUNNING':
    case 'FAILED':
    case 'STOPPING':
    case 'STOPPED':
      return status;
    case 'COPYING_IN_PROGRESS':
      return 'TRAINING_IN_PROGRESS';
    case 'COPYING_COMPLETED':
      return 'TRAINING_COMPLETED';
    case 'COPYING_FAILED':
      return 'TRAINING_FAILED';
    case 'DEPRECATED':
    case 'EXPIRED':
      return 'FAILED';
    default:
      return null;
  }
}

/** The fields of the training results summary file relabel reads (both documented layouts). */
interface SummaryFile {
  AggregatedEvaluationResults?: { Metrics?: AggregateMetrics } & AggregateMetrics;
  EvaluationDetails?: { Labels?: string[]; NumberOfTestingImages?: number; NumberOfTrainingImages?: number };
  LabelEvaluationResults?: Array<{ Label?: string; NumberOfTestingImages?: number; Metrics?: { F1Score?: number; Precision?: number; Recall?: number; Threshold?: number } }>;
}
interface AggregateMetrics {
  F1Score?: number;
  Precision?: number;
  Recall?: number;
  ConfusionMatrix?: Array<{ GroundTruthLabel?: string; PredictedLabel?: string; Value?: number }>;
}

export interface ParsedSummary {
  evaluation: ModelEvaluation;
  labels: string[];
  trainImages?: number;
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The summary file → ModelEvaluation. Per-label thresholds (0–1) become one recommended confidence
 * (0–100, their mean); the confusion matrix keeps Rekognition's fractions. Null when the file lacks
 * the metrics (never invented numbers).
 */
export function parseSummary(raw: unknown, apiF1: number | undefined): ParsedSummary | null {
  const doc = raw as SummaryFile;
  const agg = doc?.AggregatedEvaluationResults;
  const m = { ...agg, ...agg?.Metrics };
  const f1 = apiF1 ?? m.F1Score;
  if (!num(f1) || !num(m.Precision) || !num(m.Recall)) return null;
  const perLabel = (doc.LabelEvaluationResults ?? []).flatMap((l) =>
    typeof l.Label === 'string' && num(l.Metrics?.F1Score) && num(l.Metrics?.Precision) && num(l.Metrics?.Recall)
      ? [{ label: l.Label, precision: l.Metrics.Precision, recall: l.Metrics.Recall, f1: l.Metrics.F1Score, support: l.NumberOfTestingImages ?? 0 }]
      : [],
  );
  const labels = [...(doc.EvaluationDetails?.Labels ?? perLabel.map((l) => l.label))].sort();
  const evaluation: ModelEvaluation = { f1, precision: m.Precision, recall: m.Recall, perLabel, testImages: doc.EvaluationDetails?.NumberOfTestingImages ?? 0 };
  const thresholds = (doc.LabelEvaluationResults ?? []).map((l) => l.Metrics?.Threshold).filter(num);
  if (thresholds.length > 0) evaluation.threshold = (100 * thresholds.reduce((a, b) => a + b, 0)) / thresholds.length;
  if (m.ConfusionMatrix?.length) {
    const index = new Map(labels.map((l, i) => [l, i]));
    const matrix = labels.map(() => labels.map(() => 0));
    for (const cell of m.ConfusionMatrix) {
      const gt = index.get(cell.GroundTruthLabel ?? '');
      const pred = index.get(cell.PredictedLabel ?? '');
      if (gt !== undefined && pred !== undefined && num(cell.Value)) matrix[gt]![pred] = cell.Value;
    }
    evaluation.confusion = { labels, matrix };
  }
  return { evaluation, labels, trainImages: doc.EvaluationDetails?.NumberOfTrainingImages };
}

/** A description → port info, without the evaluation (read separately from the summary file). */
export function versionInfo(d: ProjectVersionDescription, version: string, status: ModelStatus): ModelVersionInfo {
  const info: ModelVersionInfo = { version, status, createdAt: (d.CreationTimestamp ?? new Date(0)).toISOString() };
  if (d.StatusMessage) info.statusMessage = d.StatusMessage;
  if (d.TrainingEndTimestamp) info.trainingEndedAt = d.TrainingEndTimestamp.toISOString();
  if (d.MinInferenceUnits !== undefined) info.inferenceUnits = d.MinInferenceUnits;
  return info;
}
