import type { Parameters } from '@relabel/contracts';
import type { Logger, ModelService, Notifier, ObjectStore, OperationalStateStore } from '@relabel/ports';
import type { RunRecords } from '../infra/run-records.repository';
import type { TrainingJobs } from '../infra/training-jobs';
import type { TrainingLock } from '../infra/training-lock';
import type { TrainingRun } from '../domain/training-run.schema';

/** How often the trainer re-polls the model service, and when it gives up waiting. */
export interface TrainerTiming {
  trainingPollMs: number;
  startPollMs: number;
  trainingTimeoutMs: number;
  startTimeoutMs: number;
  lockTtlMs: number;
  /** how many times a failed training is retried under a new version before its dataset counts as failed */
  trainingRetries: number;
}

export const DEFAULT_TIMING: TrainerTiming = {
  trainingPollMs: 10_000,
  startPollMs: 5_000,
  // Custom Labels trainings can take many hours; starting a version usually minutes.
  trainingTimeoutMs: 72 * 3600_000,
  startTimeoutMs: 2 * 3600_000,
  // Longer than any poll delay, so a live run always renews it in time.
  lockTtlMs: 15 * 60_000,
  trainingRetries: 1,
};

/**
 * Everything the trainer's use cases may use. Each use case takes a `Pick` of only what it needs.
 */
export interface TrainerDeps {
  store: ObjectStore;
  models: ModelService;
  state: OperationalStateStore;
  notifier: Notifier;
  runs: RunRecords;
  lock: TrainingLock;
  jobs: TrainingJobs;
  parameters: () => Parameters;
  /** announces a switch of the active version to the detectors */
  publishActivated: (message: { version: string; previousVersion: string | null; at: string }) => Promise<void>;
  /** told about every finished run (metrics) */
  observeRun: (run: TrainingRun) => void;
  clock: () => Date;
  timing: TrainerTiming;
  logger: Logger;
}
