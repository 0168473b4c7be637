import { NONE_OF_THE_ABOVE, outputImageKey, outputMajority, parseHumanLoopOutput } from '@relabel/contracts';
import type { HumanLoopAnswer, HumanLoopStart, HumanLoopStatus, Logger, ObjectStore } from '@relabel/ports';

/** A2I statuses → ours. Stopping is already final from the reviewers' side. */
export function loopStatus(a2i: string | undefined): HumanLoopStatus {
  switch (a2i) {
    case 'Completed':
      return 'completed';
    case 'Failed':
      return 'failed';
    case 'Stopped':
    case 'Stopping':
      return 'stopped';
    default:
      return 'pending';
  }
}

/** `s3://bucket/key` → key, only when the object is in our bucket (the store reads one bucket). */
export function keyInBucket(uri: string | undefined, bucket: string): string | undefined {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri ?? '');
  return m && m[1] === bucket ? m[2] : undefined;
}

/**
 * The InputContent the worker task template renders: `taskObject` is the image (the A2I
 * convention, also what ingestion reads back from output.json), `guess` the model's hint, and
 * `categories` the reviewers' choices, always ending with `None of the Above`. It has no time in it,
 * so a retried start sends identical input (A2I answers a same-name, different-input start with
 * ConflictException).
 */
export function inputContent(bucket: string, input: HumanLoopStart): string {
  const content: Record<string, unknown> = { taskObject: `s3://${bucket}/${input.imageKey}`, guess: input.guess };
  if (input.guess) content['initialValue'] = input.guess.confidence;
  if (input.categories) content['categories'] = [...new Set(input.categories.filter((c) => c !== NONE_OF_THE_ABOVE)), NONE_OF_THE_ABOVE];
  return JSON.stringify(content);
}

/**
 * DescribeHumanLoop/ListHumanLoops do not return the input, so the adapter keeps what it started
 * in a small record next to the loop data (written once, by the start that created the loop).
 */
export const loopInputKey = (flowName: string, loopName: string) => `a2i-human-loop-input/${flowName}/${loopName}.json`;

export interface LoopInputRecord {
  imageKey: string;
  guess: HumanLoopStart['guess'];
}

export async function readLoopInput(store: ObjectStore | undefined, key: string, logger: Logger): Promise<LoopInputRecord | null> {
  if (!store) return null;
  try {
    if (!(await store.head(key))) return null;
    const parsed = JSON.parse((await store.get(key)).body.toString()) as Partial<LoopInputRecord>;
    if (typeof parsed.imageKey !== 'string') return null;
    return { imageKey: parsed.imageKey, guess: parsed.guess ?? null };
  } catch (err) {
    logger.warn({ key, err: (err as Error).message }, 'human loop input record unreadable');
    return null;
  }
}

/** The reviewers' answer from a completed loop's output.json (majority; a tie is no answer yet). */
export async function readAnswer(
  store: ObjectStore,
  outputKey: string,
  logger: Logger,
): Promise<{ answer?: HumanLoopAnswer; imageKey?: string; completedAt?: string }> {
  try {
    const output = parseHumanLoopOutput((await store.get(outputKey)).body);
    const answeredAt = output.humanAnswers.map((a) => a.submissionTime).sort().at(-1);
    const majority = outputMajority(output);
    const imageKey = outputImageKey(output) ?? undefined;
    if (majority.kind !== 'winner' || !answeredAt) return { imageKey, completedAt: answeredAt };
    return { imageKey, completedAt: answeredAt, answer: { label: majority.label, answerCount: majority.total, answeredAt } };
  } catch (err) {
    logger.warn({ outputKey, err: (err as Error).message }, 'human loop output unreadable; answer left out');
    return {};
  }
}
