import { Type, Static, TSchema } from '@sinclair/typebox';
import { ObjectCreatedSchema } from './object-created.event';

/**
 * The queue contract: every queue, its job names and their payload schemas, in one place.
 * Renaming a queue or a job is a migration (jobs already in Redis carry the old name).
 */
export const QUEUES = {
  /** ObjectCreated for `images_for_detection/…` → detector. */
  detection: 'relabel-detection',
  /** ObjectCreated for `a2i-human-loop-data/…/output.json` → labeler. */
  humanLoopOutput: 'relabel-human-loop-output',
  /** Training poll, runs and deployments → trainer. */
  training: 'relabel-training',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const TrainingCheckSchema = Type.Object(
  {
    runId: Type.String({ minLength: 1 }),
    force: Type.Boolean(),
    trigger: Type.Union([Type.Literal('schedule'), Type.Literal('api')]),
  },
  { additionalProperties: false },
);

export const TrainingStepSchema = Type.Object(
  {
    runId: Type.String({ minLength: 1 }),
    version: Type.String({ minLength: 1 }),
    /** how many times this step has polled already; makes each delayed re-poll's job id unique */
    attempt: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

export const DeploySchema = Type.Object(
  {
    version: Type.String({ minLength: 1 }),
    runId: Type.Optional(Type.String()),
    requestId: Type.String({ minLength: 1 }),
    /** numbers re-queued deploy jobs of one run (a resumed run gets a fresh job id) */
    attempt: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

/** Job name → payload schema, per queue. A worker refuses to start without a handler for each. */
export const JOBS = {
  [QUEUES.detection]: { 'object-created': ObjectCreatedSchema },
  [QUEUES.humanLoopOutput]: { 'object-created': ObjectCreatedSchema },
  [QUEUES.training]: {
    /** the repeatable poll; its payload is empty, the run id is made when it fires */
    poll: Type.Object({}, { additionalProperties: false }),
    check: TrainingCheckSchema,
    'await-training': TrainingStepSchema,
    'await-start': TrainingStepSchema,
    deploy: DeploySchema,
  },
} as const satisfies Record<QueueName, Record<string, TSchema>>;

/**
 * Queue → job name → payload type, spelled out (deriving it generically from `JOBS` makes the
 * compiler give up on generic call sites); the check below keeps it in step with the schemas.
 */
export interface JobMap {
  'relabel-detection': { 'object-created': Static<typeof ObjectCreatedSchema> };
  'relabel-human-loop-output': { 'object-created': Static<typeof ObjectCreatedSchema> };
  'relabel-training': {
    poll: Record<string, never>;
    check: Static<typeof TrainingCheckSchema>;
    'await-training': Static<typeof TrainingStepSchema>;
    'await-start': Static<typeof TrainingStepSchema>;
    deploy: Static<typeof DeploySchema>;
  };
}
type Jobs = typeof JOBS;
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
const jobMapInStep: { [Q in QueueName]: SameKeys<JobMap[Q], Jobs[Q]> } = {
  'relabel-detection': true,
  'relabel-human-loop-output': true,
  'relabel-training': true,
};
void jobMapInStep;

export type JobNames<Q extends QueueName> = keyof JobMap[Q] & string;
export type JobPayload<Q extends QueueName, J extends JobNames<Q>> = JobMap[Q][J];

/** Redis pub/sub channel (under the key prefix) on which config-watcher announces parameter changes. */
export const CONFIG_CHANGED_CHANNEL = 'config.changed';

export const ConfigChangedSchema = Type.Object({
  names: Type.Array(Type.String()),
  at: Type.String(),
  source: Type.String(),
});
export type ConfigChanged = Static<typeof ConfigChangedSchema>;

/** The trainer's repeatable poll job is registered under this scheduler id. */
export const TRAINING_POLL_SCHEDULER_ID = 'training-poll';

/** Redis pub/sub channel on which the trainer announces a switch of the active model version. */
export const MODEL_ACTIVATED_CHANNEL = 'model.activated';
