import { basename } from 'path';
import {
  hasImageExtension,
  isErrorCode,
  isHumanLoopOutputKey,
  isValidAnswer,
  labeledImageKey,
  NONE_OF_THE_ABOVE,
  outputImageKey,
  outputMajority,
  parseHumanLoopOutput,
  RelabelError,
} from '@relabel/contracts';
import type { HumanLoopOutput, ObjectCreated } from '@relabel/contracts';
import type { HumanReview, ObjectStore } from '@relabel/ports';
import type { IngestionLog, IngestionRecord } from '../domain/ingestion-record';

export interface IngestDeps {
  store: ObjectStore;
  humanReview: Pick<HumanReview, 'describeHumanLoop'>;
  /** the labels reviewers may currently give (training-set folders ∪ declared) */
  knownLabels: () => Promise<ReadonlySet<string>>;
  log: IngestionLog;
  now?: () => Date;
}

export type IngestResult = IngestionRecord | { outcome: 'ignored'; outputKey: string };

/** Thrown after a rejection is recorded, so the job fails once and is never retried. */
export class IngestionRejected extends RelabelError {}

/**
 * Flow D: turns a finished human loop's output.json into a training image. Idempotent (the
 * destination key depends only on the loop and the image, so a replayed event finds its copy);
 * anything unusable is recorded with a reason and rejected permanently, never retried for ever.
 */
export async function ingestHumanLoopOutput(deps: IngestDeps, event: Pick<ObjectCreated, 'key'>): Promise<IngestResult> {
  const outputKey = event.key;
  if (!isHumanLoopOutputKey(outputKey)) return { outcome: 'ignored', outputKey };
  const at = () => (deps.now?.() ?? new Date()).toISOString();
  let loopName: string | null = null;
  const reject = async (code: 'REVIEW_OUTPUT_INVALID' | 'REVIEW_INVALID_LABEL', reason: string, extra: Partial<IngestionRecord> = {}): Promise<never> => {
    await deps.log.record({ outputKey, loopName, outcome: 'rejected', reason, at: at(), ...extra });
    throw new IngestionRejected(code, `${outputKey}: ${reason}`);
  };

  let output: HumanLoopOutput;
  try {
    output = parseHumanLoopOutput((await deps.store.get(outputKey)).body);
  } catch (err) {
    if (isErrorCode(err, 'STORE_NOT_FOUND')) return reject('REVIEW_OUTPUT_INVALID', 'output.json no longer exists');
    if (isErrorCode(err, 'REVIEW_OUTPUT_INVALID')) return reject('REVIEW_OUTPUT_INVALID', (err as Error).message);
    throw err;
  }
  loopName = output.humanLoopName;

  const majority = outputMajority(output);
  if (majority.kind === 'empty') {
    const loop = await deps.humanReview.describeHumanLoop(loopName);
    const why = loop && loop.status !== 'completed' ? `loop ${loop.status}${loop.failureReason ? ` (${loop.failureReason})` : ''}` : 'no answers';
    return reject('REVIEW_OUTPUT_INVALID', `${why}: the output holds no label`, { answers: output.humanAnswers.length });
  }
  if (majority.kind === 'tie') {
    return reject('REVIEW_OUTPUT_INVALID', `answers are tied between ${majority.labels.join(', ')}`, { answers: majority.total });
  }
  const label = majority.label;
  const base = { outputKey, loopName, label, answers: majority.total };
  if (!isValidAnswer(label)) return reject('REVIEW_INVALID_LABEL', `label ${JSON.stringify(label).slice(0, 80)} is not a valid label`, base);
  if (label === NONE_OF_THE_ABOVE) {
    const record: IngestionRecord = { ...base, outcome: 'none-of-the-above', at: at() };
    await deps.log.record(record);
    return record;
  }
  if (!(await deps.knownLabels()).has(label)) return reject('REVIEW_INVALID_LABEL', `label ${label} is not a known category`, base);

  const imageKey = outputImageKey(output);
  if (!imageKey || !hasImageExtension(imageKey)) {
    return reject('REVIEW_OUTPUT_INVALID', `inputContent.taskObject does not name a JPEG/PNG image (${String(imageKey).slice(0, 120)})`, base);
  }
  const destination = labeledImageKey(label, `humanLoopName-${loopName}-${basename(imageKey)}`);
  let outcome: IngestionRecord['outcome'] = 'already-copied';
  if (!(await deps.store.head(destination))) {
    try {
      await deps.store.copy(imageKey, destination);
    } catch (err) {
      if (isErrorCode(err, 'STORE_NOT_FOUND')) return reject('REVIEW_OUTPUT_INVALID', `the reviewed image ${imageKey} no longer exists`, base);
      if (isErrorCode(err, 'STORE_INVALID_KEY')) return reject('REVIEW_OUTPUT_INVALID', `cannot copy ${imageKey} to ${destination}`, base);
      throw err;
    }
    outcome = 'copied';
  }
  const record: IngestionRecord = { ...base, outcome, copiedTo: destination, at: at() };
  await deps.log.record(record);
  return record;
}
