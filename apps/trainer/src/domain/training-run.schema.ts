import { Type, Static } from '@sinclair/typebox';

/**
 * The durable record of one training check or deployment. Stored as JSON in the object store
 * (see run-records.repository.ts), so Redis can be flushed without losing any run's history.
 */
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const RUN_STATUSES = ['queued', 'checking', 'skipped', 'training', 'evaluating', 'deploying', 'deployed', 'rejected', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
// Spelled out (not mapped from RUN_STATUSES) so the route type provider infers the literal union.
export const RunStatusSchema = Type.Union([
  Type.Literal('queued'),
  Type.Literal('checking'),
  Type.Literal('skipped'),
  Type.Literal('training'),
  Type.Literal('evaluating'),
  Type.Literal('deploying'),
  Type.Literal('deployed'),
  Type.Literal('rejected'),
  Type.Literal('failed'),
]);
export const TERMINAL_STATUSES: readonly RunStatus[] = ['skipped', 'deployed', 'rejected', 'failed'];

export const RunStepSchema = Type.Object({
  name: Type.String(),
  status: Type.Union([Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  startedAt: Type.String(),
  endedAt: Type.Optional(Type.String()),
  durationMs: Type.Optional(Type.Number()),
  detail: Type.Optional(Type.String()),
});
export type RunStep = Static<typeof RunStepSchema>;

export const LabelScoreSchema = Type.Object({
  label: Type.String(),
  precision: Type.Number(),
  recall: Type.Number(),
  f1: Type.Number(),
  support: Type.Number(),
});

export const EvaluationSchema = Type.Object({
  f1: Type.Number(),
  precision: Type.Number(),
  recall: Type.Number(),
  perLabel: Type.Array(LabelScoreSchema),
  testImages: Type.Number(),
});
export type Evaluation = Static<typeof EvaluationSchema>;

export const DatasetSchema = Type.Object({
  /** sha256 over the sorted (key, ETag) pairs of every valid labelled image */
  fingerprint: Type.String(),
  /** valid labelled images counted (the number compared with the last deployed dataset) */
  images: Type.Number(),
  trainImages: Type.Number(),
  testImages: Type.Number(),
  labels: Type.Array(Type.Object({ label: Type.String(), train: Type.Number(), test: Type.Number() })),
  excludedLabels: Type.Array(Type.Object({ label: Type.String(), images: Type.Number(), reason: Type.String() })),
  skippedObjects: Type.Number(),
  /** the first few skipped objects, with why */
  skippedSamples: Type.Array(Type.Object({ key: Type.String(), reason: Type.String() })),
});
export type Dataset = Static<typeof DatasetSchema>;

export const GateSchema = Type.Object({
  minimumF1: Type.Number(),
  passed: Type.Boolean(),
  reason: Type.Optional(Type.String()),
  challenger: Type.Object({ version: Type.String(), evaluation: EvaluationSchema }),
  champion: Type.Optional(
    Type.Object({ version: Type.String(), evaluation: Type.Optional(EvaluationSchema), error: Type.Optional(Type.String()) }),
  ),
});
export type Gate = Static<typeof GateSchema>;

export const DeploymentSchema = Type.Object({
  version: Type.String(),
  inferenceUnits: Type.Number(),
  previousVersion: Nullable(Type.String()),
  switchedAt: Type.Optional(Type.String()),
  stoppedVersions: Type.Array(Type.String()),
});

export const TrainingRunSchema = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('training'), Type.Literal('deploy')]),
  trigger: Type.Union([Type.Literal('schedule'), Type.Literal('api')]),
  /** the account that asked for it through the API (trigger `api`) */
  requestedBy: Type.Optional(Type.String()),
  force: Type.Boolean(),
  status: RunStatusSchema,
  reason: Type.Optional(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  finishedAt: Type.Optional(Type.String()),
  version: Type.Optional(Type.String()),
  untrainedImages: Type.Optional(Type.Number()),
  minimumUntrainedImages: Type.Optional(Type.Number()),
  dataset: Type.Optional(DatasetSchema),
  manifests: Type.Optional(Type.Object({ train: Type.String(), test: Type.String() })),
  gate: Type.Optional(GateSchema),
  deployment: Type.Optional(DeploymentSchema),
  steps: Type.Array(RunStepSchema),
  /** earlier versions of this run whose training failed and was retried under a new version name */
  retriedVersions: Type.Optional(Type.Array(Type.Object({ version: Type.String(), reason: Type.String() }))),
  /** the queued job that carries the run forward; lets a later check resume an orphaned run */
  pendingJob: Type.Optional(
    Type.Object({ name: Type.Union([Type.Literal('await-training'), Type.Literal('await-start'), Type.Literal('deploy')]), id: Type.String(), attempt: Type.Number() }),
  ),
});
export type TrainingRun = Static<typeof TrainingRunSchema>;

export function isTerminal(run: Pick<TrainingRun, 'status'>): boolean {
  return TERMINAL_STATUSES.includes(run.status);
}
