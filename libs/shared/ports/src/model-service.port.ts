import { Type, type Static } from '@sinclair/typebox';

/** Lifecycle states of a model version (the Rekognition Custom Labels set), listed once here. */
export const ModelStatusSchema = Type.Union([
  Type.Literal('TRAINING_IN_PROGRESS'),
  Type.Literal('TRAINING_COMPLETED'),
  Type.Literal('TRAINING_FAILED'),
  Type.Literal('STARTING'),
  Type.Literal('RUNNING'),
  Type.Literal('FAILED'),
  Type.Literal('STOPPING'),
  Type.Literal('STOPPED'),
]);
export type ModelStatus = Static<typeof ModelStatusSchema>;

export interface LabelMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** test images whose true label is this one */
  support: number;
}

export interface ModelEvaluation {
  /** macro-averaged over the labels with test images (`scoresFromConfusion` in contracts) */
  f1: number;
  precision: number;
  recall: number;
  perLabel: LabelMetrics[];
  testImages: number;
  /** confidence (0–100) the model recommends as detection threshold, if it computes one */
  threshold?: number;
  /**
   * Where the figures come from: the test manifest, or — when the test split is too small to carry
   * a gate — cross-validation over every labelled image (`folds`, with `f1Spread` the standard
   * deviation of macro-F1 between folds).
   */
  method?: 'test-split' | 'cross-validation';
  folds?: number;
  f1Spread?: number;
  confusion?: { labels: string[]; matrix: number[][] };
}

export interface ModelVersionInfo {
  version: string;
  status: ModelStatus;
  statusMessage?: string;
  createdAt: string;
  trainingEndedAt?: string;
  labels?: string[];
  trainImages?: number;
  testImages?: number;
  evaluation?: ModelEvaluation;
  inferenceUnits?: number;
  /** while TRAINING_IN_PROGRESS, when the service reports it: the current stage and how far it is */
  progress?: { stage: string; done: number; total: number };
}

export interface DetectedLabel {
  name: string;
  /** 0–100 */
  confidence: number;
}

export type ImageInput = { bytes: Buffer } | { key: string };

/**
 * The Custom Labels lifecycle. Errors: MODEL_NOT_FOUND, MODEL_NOT_READY (e.g. detect on a version
 * that is not RUNNING), MODEL_SERVICE_UNAVAILABLE / MODEL_THROTTLED (transient), IMAGE_* for bad input.
 */
export interface ModelService {
  /** Starts training from Ground Truth manifests in the object store; returns at once. */
  createVersion(input: { version: string; trainManifestKey: string; testManifestKey: string }): Promise<ModelVersionInfo>;
  /** All versions when `versions` is omitted. Unknown names are simply absent from the answer. */
  describeVersions(versions?: string[]): Promise<ModelVersionInfo[]>;
  startVersion(version: string, inferenceUnits: number): Promise<void>;
  stopVersion(version: string): Promise<void>;
  /** Labels sorted by confidence, highest first, at or above `minConfidence` (default 0). */
  detect(version: string, image: ImageInput, options?: { minConfidence?: number; maxResults?: number }): Promise<DetectedLabel[]>;
}
