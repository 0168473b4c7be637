import { Type } from '@sinclair/typebox';
import { LiveAccuracySchema } from '@relabel/contracts';


const Value = Type.Union([Type.Boolean(), Type.Number()]);

export const ParameterViewSchema = Type.Object({
  name: Type.String(),
  value: Value,
  stored: Type.Union([Type.String(), Type.Null()], { description: 'the raw value in the store; differs from `value` when it is not in force' }),
  version: Type.Union([Type.Integer(), Type.Null()]),
  lastModified: Type.Union([Type.String(), Type.Null()]),
  type: Type.String(),
  default: Value,
  allowed: Type.String(),
  description: Type.String(),
  problem: Type.Optional(Type.String({ description: 'why the stored value is not in force' })),
});

export const ParameterChangeSchema = Type.Object({
  name: Type.String(),
  oldValue: Type.Union([Type.String(), Type.Null()]),
  newValue: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
  source: Type.String({ description: '`api:<account>`, `out-of-band` (edited around the API) or `defaults`' }),
  account: Type.Union([Type.String(), Type.Null()], { description: 'the authenticated account that changed it through the API; null for out-of-band edits and defaults' }),
  at: Type.String(),
});

const IssueFields = {
  name: Type.String(),
  value: Type.Union([Type.String(), Type.Null()]),
  inForce: Value,
  reason: Type.String(),
  since: Type.String(),
};

const RecordedErrorSchema = Type.Object({ at: Type.String(), source: Type.String(), message: Type.String() });

export const StatusSchema = Type.Object({
  at: Type.String(),
  activeModel: Type.Union([Type.String(), Type.Null()]),
  versionsInFlight: Type.Array(Type.String()),
  untrainedImages: Type.Union([
    Type.Object({ labelled: Type.Integer(), lastDeployedDataset: Type.Integer(), untrained: Type.Integer(), skipped: Type.Integer() }),
    Type.Null(),
  ]),
  pendingHumanLoops: Type.Union([Type.Object({ count: Type.Integer(), truncated: Type.Boolean() }), Type.Null()]),
  queues: Type.Union([Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer())), Type.Null()]),
  lastErrors: Type.Array(RecordedErrorSchema),
  invalidParameters: Type.Array(Type.Object(IssueFields)),
  recentInvalidParameters: Type.Array(Type.Object({ ...IssueFields, clearedAt: Type.Optional(Type.String()) })),
  parameterStore: Type.Object({
    readable: Type.Boolean(),
    error: Type.Optional(Type.String()),
    code: Type.Optional(Type.String()),
    lastRefresh: Type.Optional(Type.String()),
  }),
  liveAccuracy: Type.Union([Type.Array(LiveAccuracySchema), Type.Null()], {
    description: 'per model version and top label, from answered audits: share confirmed, Wilson 95 % interval, count',
  }),
  driftAlarms: Type.Array(Type.Object({ version: Type.String(), message: Type.String() }), {
    description: 'versions whose live accuracy is confidently below Minimum-F1-Score',
  }),
  unavailable: Type.Array(Type.Object({ section: Type.String(), message: Type.String() })),
});
