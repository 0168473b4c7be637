import { Type, Static } from '@sinclair/typebox';
import { HumanLoopSchema, type HumanLoop, type ReviewTask } from '@relabel/ports';

/** One loop as stored in `<dir>/loops/<name>.json`: the port's HumanLoop plus the review state. */
export const LoopRecordSchema = Type.Composite([
  HumanLoopSchema,
  Type.Object({
    answersRequired: Type.Integer({ minimum: 1 }),
    answers: Type.Array(
      Type.Object({
        reviewerId: Type.String(),
        label: Type.String(),
        submittedAt: Type.String(),
        acceptedAt: Type.Optional(Type.String()),
      }),
    ),
    leases: Type.Array(Type.Object({ reviewerId: Type.String(), acceptedAt: Type.String(), expiresAt: Type.String() })),
    skips: Type.Array(Type.Object({ reviewerId: Type.String(), at: Type.String() })),
  }),
]);
export type LoopRecord = Static<typeof LoopRecordSchema>;
export type LoopLease = LoopRecord['leases'][number];

export function toHumanLoop(record: LoopRecord): HumanLoop {
  const loop: HumanLoop = {
    name: record.name,
    status: record.status,
    imageKey: record.imageKey,
    guess: record.guess,
    createdAt: record.createdAt,
  };
  if (record.completedAt) loop.completedAt = record.completedAt;
  if (record.failureReason) loop.failureReason = record.failureReason;
  if (record.outputKey) loop.outputKey = record.outputKey;
  if (record.answer) loop.answer = record.answer;
  return loop;
}

export function toReviewTask(record: LoopRecord): ReviewTask {
  return {
    loop: toHumanLoop(record),
    answersRequired: record.answersRequired,
    answers: record.answers.map(({ reviewerId, label, submittedAt }) => ({ reviewerId, label, submittedAt })),
  };
}

export function activeLeases(record: LoopRecord, nowMs: number, except?: string): LoopLease[] {
  return record.leases.filter((l) => Date.parse(l.expiresAt) > nowMs && l.reviewerId !== except);
}

export function hasAnswered(record: LoopRecord, reviewerId: string): boolean {
  return record.answers.some((a) => a.reviewerId === reviewerId);
}

/** Answer slots still open to `reviewerId`: required − given − leased to others. */
export function freeSlots(record: LoopRecord, nowMs: number, reviewerId: string): number {
  return record.answersRequired - record.answers.length - activeLeases(record, nowMs, reviewerId).length;
}

/** When this reviewer last skipped the loop (ms), or -Infinity when never. */
export function skippedAt(record: LoopRecord, reviewerId: string): number {
  const skip = record.skips.find((s) => s.reviewerId === reviewerId);
  return skip ? Date.parse(skip.at) : Number.NEGATIVE_INFINITY;
}
