import { Type, Static } from '@sinclair/typebox';
import { HumanLoopNameSchema } from '@relabel/contracts';
import type { ReviewClaim, ReviewTask } from '@relabel/ports';

export const ErrorSchema = Type.Object({ code: Type.String(), message: Type.String() });
export const LoopNameParams = Type.Object({ name: HumanLoopNameSchema });

const Guess = Type.Union([Type.Object({ label: Type.String(), confidence: Type.Number() }), Type.Null()]);

export const ReviewTaskViewSchema = Type.Object({
  name: Type.String(),
  status: Type.String(),
  imageKey: Type.String(),
  /** authenticated URL of the image bytes */
  imageUrl: Type.String(),
  guess: Guess,
  createdAt: Type.String(),
  completedAt: Type.Optional(Type.String()),
  failureReason: Type.Optional(Type.String()),
  outputKey: Type.Optional(Type.String()),
  answer: Type.Optional(Type.Object({ label: Type.String(), answerCount: Type.Integer(), answeredAt: Type.String() })),
  answersRequired: Type.Integer(),
  answers: Type.Array(Type.Object({ reviewerId: Type.String(), label: Type.String(), submittedAt: Type.String() })),
  leaseExpiresAt: Type.Optional(Type.String()),
  skippedBefore: Type.Optional(Type.Boolean()),
});
export type ReviewTaskView = Static<typeof ReviewTaskViewSchema>;

export const ProgressSchema = Type.Object({ pending: Type.Integer(), doneToday: Type.Integer(), doneTodayByReviewer: Type.Integer() });

export function taskView(task: ReviewTask, claim?: Pick<ReviewClaim, 'leaseExpiresAt' | 'skippedBefore'>): ReviewTaskView {
  const view: ReviewTaskView = {
    ...task.loop,
    imageUrl: `/api/human-loops/${task.loop.name}/image`,
    answersRequired: task.answersRequired,
    answers: task.answers,
  };
  if (claim) {
    view.leaseExpiresAt = claim.leaseExpiresAt;
    view.skippedBefore = claim.skippedBefore;
  }
  return view;
}

