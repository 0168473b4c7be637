import { Type, Static } from '@sinclair/typebox';
import { HumanLoopNameSchema } from '@relabel/contracts';
import { HumanLoopSchema, type ReviewClaim, type ReviewTask } from '@relabel/ports';

export const LoopNameParams = Type.Object({ name: HumanLoopNameSchema });

/** A loop as the review page and the API show it: the port's HumanLoop plus the review state. */
export const ReviewTaskViewSchema = Type.Composite([
  HumanLoopSchema,
  Type.Object({
    /** authenticated URL of the image bytes */
    imageUrl: Type.String(),
    answersRequired: Type.Integer(),
    answers: Type.Array(Type.Object({ reviewerId: Type.String(), label: Type.String(), submittedAt: Type.String() })),
    leaseExpiresAt: Type.Optional(Type.String()),
    skippedBefore: Type.Optional(Type.Boolean()),
  }),
]);
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

