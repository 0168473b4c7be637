import { Type, Static } from '@sinclair/typebox';
import { RelabelError } from './errors';
import { describeErrors, isValid } from './schema';

/**
 * The A2I output file (`a2i-human-loop-data/…/output.json`, root README "Object store layout"). A2I writes it in the aws
 * profile and the local review service writes the same shape, so ingestion has one path. Extra
 * fields A2I adds (acceptanceTime, workerMetadata, …) are allowed and ignored.
 */
export const CROWD_IMAGE_CLASSIFIER = 'crowd-image-classifier';

/**
 * A2I's rule for human loop names (and flow definition names): `^[a-z0-9](-*[a-z0-9])*$`, at most
 * 63 characters. Names become file names and object keys, so every place that takes one checks it here.
 */
export const HUMAN_LOOP_NAME_PATTERN = '^[a-z0-9](-*[a-z0-9])*$';
export const HUMAN_LOOP_NAME_MAX = 63;
const LOOP_NAME_RE = new RegExp(HUMAN_LOOP_NAME_PATTERN);
export const HumanLoopNameSchema = Type.String({ minLength: 1, maxLength: HUMAN_LOOP_NAME_MAX, pattern: HUMAN_LOOP_NAME_PATTERN });

export function isValidHumanLoopName(name: string): boolean {
  return name.length <= HUMAN_LOOP_NAME_MAX && LOOP_NAME_RE.test(name);
}

export const HumanAnswerSchema = Type.Object({
  answerContent: Type.Record(Type.String(), Type.Unknown()),
  submissionTime: Type.String({ minLength: 1 }),
  workerId: Type.String(),
  acceptanceTime: Type.Optional(Type.String()),
  timeSpentInSeconds: Type.Optional(Type.Number()),
});
export type HumanAnswer = Static<typeof HumanAnswerSchema>;

export const HumanLoopOutputSchema = Type.Object({
  flowDefinitionArn: Type.String({ minLength: 1 }),
  humanLoopName: HumanLoopNameSchema,
  /** A2I stores it as an object; a JSON string is accepted too (the StartHumanLoop input form). */
  inputContent: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.String()]),
  humanAnswers: Type.Array(HumanAnswerSchema),
});
export type HumanLoopOutput = Static<typeof HumanLoopOutputSchema>;

/** Parses the bytes of an output.json; anything unreadable is a permanent REVIEW_OUTPUT_INVALID. */
export function parseHumanLoopOutput(body: Buffer | string): HumanLoopOutput {
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString());
  } catch {
    throw new RelabelError('REVIEW_OUTPUT_INVALID', 'output.json is not valid JSON');
  }
  if (!isValid(HumanLoopOutputSchema, raw)) {
    throw new RelabelError('REVIEW_OUTPUT_INVALID', `output.json does not match the A2I shape: ${describeErrors(HumanLoopOutputSchema, raw)}`);
  }
  return raw;
}

/** The label of one answer, `answerContent["crowd-image-classifier"].label`, or null when absent. */
export function answerLabel(answer: Pick<HumanAnswer, 'answerContent'>): string | null {
  const content = answer.answerContent[CROWD_IMAGE_CLASSIFIER];
  if (typeof content !== 'object' || content === null) return null;
  const label = (content as { label?: unknown }).label;
  return typeof label === 'string' && label.length > 0 ? label : null;
}

/** The object key of the reviewed image: `taskObject` as `s3://bucket/key` or a plain key. */
export function outputImageKey(output: Pick<HumanLoopOutput, 'inputContent'>): string | null {
  let input: unknown = output.inputContent;
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input);
    } catch {
      return null;
    }
  }
  const taskObject = (input as { taskObject?: unknown } | null)?.taskObject;
  if (typeof taskObject !== 'string' || taskObject.length === 0) return null;
  const s3 = /^s3:\/\/[^/]+\/(.+)$/.exec(taskObject);
  return s3 ? (s3[1] ?? null) : taskObject;
}

/** The reviewers' decision in an output.json: the majority of the answers that carry a label. */
export function outputMajority(output: Pick<HumanLoopOutput, 'humanAnswers'>): MajorityResult {
  return majorityLabel(output.humanAnswers.map(answerLabel).filter((l): l is string => l !== null));
}

export type MajorityResult =
  | { kind: 'winner'; label: string; votes: number; total: number }
  | { kind: 'tie'; labels: string[]; votes: number; total: number }
  | { kind: 'empty' };

/**
 * Plurality of the given labels: the label with strictly more votes than any other wins; equal top
 * counts are a tie (the loop asks for one more answer). Order of answers does not matter.
 */
export function majorityLabel(labels: readonly string[]): MajorityResult {
  if (labels.length === 0) return { kind: 'empty' };
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  const top = Math.max(...counts.values());
  const leaders = [...counts].filter(([, n]) => n === top).map(([label]) => label).sort();
  if (leaders.length === 1) return { kind: 'winner', label: leaders[0] as string, votes: top, total: labels.length };
  return { kind: 'tie', labels: leaders, votes: top, total: labels.length };
}
