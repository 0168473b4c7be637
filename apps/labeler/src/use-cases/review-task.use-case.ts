import { RelabelError } from '@relabel/contracts';
import type { ReviewClaim, ReviewProgress, ReviewSubmitOutcome, ReviewTask, ReviewWorkbench } from '@relabel/ports';
import { isKnownAnswer, ReviewCategories } from './review-categories.use-case';

export interface NextTaskResult {
  claim: ReviewClaim | null;
  progress: ReviewProgress;
}

/** The reviewer's next task (the one it holds, else a fresh lease) and the queue's progress. */
export async function nextReviewTask(deps: { workbench: ReviewWorkbench }, reviewerId: string): Promise<NextTaskResult> {
  const claim = await deps.workbench.claimNext(reviewerId);
  return { claim, progress: await deps.workbench.progress(reviewerId) };
}

export async function skipReviewTask(deps: { workbench: ReviewWorkbench }, name: string, reviewerId: string): Promise<void> {
  await deps.workbench.release(name, reviewerId, { skip: true });
}

/** Gives the lease back at once (page closed) so other reviewers need not wait for it to expire. */
export async function releaseReviewTask(deps: { workbench: ReviewWorkbench }, name: string, reviewerId: string): Promise<void> {
  await deps.workbench.release(name, reviewerId);
}

/**
 * A reviewer's answer: one of the current categories or `None of the Above` (checked here); the
 * workbench checks the label's syntax (`assertValidAnswer`) when it records it.
 */
export async function answerHumanLoop(
  deps: { workbench: ReviewWorkbench; categories: () => Promise<ReviewCategories> },
  input: { name: string; reviewerId: string; label: string },
): Promise<{ task: ReviewTask; outcome: ReviewSubmitOutcome; progress: ReviewProgress }> {
  if (!isKnownAnswer(await deps.categories(), input.label)) {
    throw new RelabelError('REVIEW_INVALID_LABEL', `label ${input.label} is not one of the review categories`);
  }
  const result = await deps.workbench.submitAnswer(input.name, input.reviewerId, input.label);
  return { ...result, progress: await deps.workbench.progress(input.reviewerId) };
}
