import { Type, Static } from '@sinclair/typebox';
import { MODEL_STATUSES } from '@relabel/ports';
import { GateSchema, LabelScoreSchema, RUN_STATUSES } from './training-run.schema';

/** What `GET /models` and `GET /models/:version` answer for one version. */
export const ModelViewSchema = Type.Object({
  version: Type.String(),
  status: Type.Union(MODEL_STATUSES.map((s) => Type.Literal(s))),
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
  runId: Type.Optional(Type.String()),
  runStatus: Type.Optional(Type.Union(RUN_STATUSES.map((s) => Type.Literal(s)))),
  gate: Type.Optional(GateSchema),
  rejectedReason: Type.Optional(Type.String()),
  failedReason: Type.Optional(Type.String()),
});
export type ModelView = Static<typeof ModelViewSchema>;
