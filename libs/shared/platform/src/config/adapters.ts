import { RelabelError } from '@relabel/contracts';
import { Type, Static } from '@sinclair/typebox';

const oneOf = <T extends string>(...values: T[]) => Type.Union(values.map((v) => Type.Literal(v)));

/** Which adapter serves each port: one switch per capability (README "Adapters"). */
export const AdaptersSchema = Type.Object({
  objectStore: oneOf('fs', 's3'),
  events: oneOf('fs', 'sqs'),
  modelService: oneOf('local', 'rekognition'),
  humanReview: oneOf('local', 'a2i'),
  parameterStore: oneOf('file', 'ssm'),
  operationalState: oneOf('file', 'ssm', 'object-store'),
  notifier: oneOf('local', 'sns'),
});

export type Adapters = Static<typeof AdaptersSchema>;
export type Capability = keyof Adapters;

/** The environment variable of each switch. */
export const ADAPTER_ENV: Record<Capability, string> = {
  objectStore: 'RELABEL_OBJECT_STORE',
  events: 'RELABEL_EVENTS',
  modelService: 'RELABEL_MODEL_SERVICE',
  humanReview: 'RELABEL_HUMAN_REVIEW',
  parameterStore: 'RELABEL_PARAMETER_STORE',
  operationalState: 'RELABEL_OPERATIONAL_STATE',
  notifier: 'RELABEL_NOTIFIER',
};

/** `RELABEL_PROFILE` is only a preset: the value of every switch that is not set. */
export const PROFILE_PRESETS: Record<'local' | 'aws', Adapters> = {
  local: { objectStore: 'fs', events: 'fs', modelService: 'local', humanReview: 'local', parameterStore: 'file', operationalState: 'file', notifier: 'local' },
  aws: { objectStore: 's3', events: 'sqs', modelService: 'rekognition', humanReview: 'a2i', parameterStore: 'ssm', operationalState: 'ssm', notifier: 'sns' },
};

/**
 * Combinations that cannot work, each with why. They all come from one fact: only S3 feeds an SQS
 * queue with object events, and the AWS services read images and manifests from S3 and write their
 * results there — none of them can see a folder on this machine.
 */
const RULES: Array<{ when: (a: Adapters) => boolean; names: Capability[]; why: string }> = [
  {
    when: (a) => a.events === 'sqs' && a.objectStore === 'fs',
    names: ['events', 'objectStore'],
    why: 'an SQS queue receives object events from an S3 bucket only; the folder store has none to send (use RELABEL_EVENTS=fs)',
  },
  {
    when: (a) => a.events === 'fs' && a.objectStore === 's3',
    names: ['events', 'objectStore'],
    why: 'the folder scan watches the local bucket folder and would never see an S3 object (use RELABEL_EVENTS=sqs with the bucket notifications)',
  },
  {
    when: (a) => a.modelService === 'rekognition' && a.objectStore === 'fs',
    names: ['modelService', 'objectStore'],
    why: 'Rekognition Custom Labels reads its manifests and images from S3 and cannot see a local folder',
  },
  {
    when: (a) => a.humanReview === 'a2i' && a.objectStore === 'fs',
    names: ['humanReview', 'objectStore'],
    why: 'A2I shows images from S3 and writes its output.json there, where a folder store never sees it',
  },
];

/** Every impossible combination in `adapters`, as one CONFIG_INVALID naming the variables; null when it can work. */
export function checkAdapterCombination(adapters: Adapters): RelabelError | null {
  const broken = RULES.filter((r) => r.when(adapters));
  if (broken.length === 0) return null;
  const describe = (r: (typeof RULES)[number]) => `${r.names.map((c) => `${ADAPTER_ENV[c]}=${adapters[c]}`).join(' with ')}: ${r.why}`;
  const variables = [...new Set(broken.flatMap((r) => r.names.map((c) => ADAPTER_ENV[c])))];
  return new RelabelError('CONFIG_INVALID', `impossible adapter combination — ${broken.map(describe).join('; ')}`, { variables });
}
