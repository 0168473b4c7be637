import { Type, Static } from '@sinclair/typebox';
import { LiveAccuracySchema } from '@relabel/contracts';
import { ModelStatusSchema } from '@relabel/ports';
import { GateSchema, LabelScoreSchema, RunStatusSchema } from './training-run.schema';

/** What `GET /models` and `GET /models/:version` answer for one version. */
export const ModelViewSchema = Type.Object({
  version: Type.String(),
  status: ModelStatusSchema,
  statusMessage: Type.Optional(Type.String()),
  live: Type.Boolean(),
  createdAt: Type.String(),
  trainingEndedAt: Type.Optional(Type.String()),
  inferenceUnits: Type.Optional(Type.Number()),
  datasetImages: Type.Optional(Type.Number()),
  trainImages: Type.Optional(Type.Number()),
  testImages: Type.Optional(Type.Number()),
  labels: Type.Optional(Type.Array(Type.String())),
  f1: Type.Optional(Type.Number()),
  precision: Type.Optional(Type.Number()),
  recall: Type.Optional(Type.Number()),
  perLabel: Type.Optional(Type.Array(LabelScoreSchema)),
  confusion: Type.Optional(Type.Object({ labels: Type.Array(Type.String()), matrix: Type.Array(Type.Array(Type.Number())) }, { description: 'rows are the true label, columns the predicted one' })),
  progress: Type.Optional(Type.Object({ stage: Type.String(), done: Type.Number(), total: Type.Number() }, { description: 'while training, as the model service reports it' })),
  runId: Type.Optional(Type.String()),
  runStatus: Type.Optional(RunStatusSchema),
  gate: Type.Optional(GateSchema),
  rejectedReason: Type.Optional(Type.String()),
  failedReason: Type.Optional(Type.String()),
  /** from answered audits (GET /models/:version only): share of top labels reviewers confirmed, Wilson 95 % interval */
  liveAccuracy: Type.Optional(LiveAccuracySchema),
});
export type ModelView = Static<typeof ModelViewSchema>;
