import type { HumanLoop } from './human-review.port';

/** One reviewer's answer to a loop. */
export interface ReviewAnswer {
  reviewerId: string;
  /** a category label or `None of the Above` */
  label: string;
  submittedAt: string;
}

/** A human loop as the review UI sees it: the loop plus how many answers it needs and has. */
export interface ReviewTask {
  loop: HumanLoop;
  /** starts at the configured answers per loop; a tie raises it by one */
  answersRequired: number;
  answers: ReviewAnswer[];
}

/** A task leased to one reviewer until `leaseExpiresAt`; an expired lease returns it to the pool. */
export interface ReviewClaim {
  task: ReviewTask;
  leaseExpiresAt: string;
  /** the reviewer skipped this task before and everything else is taken or done */
  skippedBefore: boolean;
}

export type ReviewSubmitOutcome =
  /** the required answers are in and agree: the loop is completed and its output written */
  | 'completed'
  /** more answers are required before the loop can complete */
  | 'awaiting-answers'
  /** the answers are tied: one more answer was requested */
  | 'tied';

export interface ReviewProgress {
  /** pending loops (all reviewers) */
  pending: number;
  /** answers submitted today (UTC), by all reviewers */
  doneToday: number;
  /** answers submitted today (UTC) by this reviewer */
  doneTodayByReviewer: number;
}

/**
 * The local review UI's task operations (local profile only; in aws the A2I worker portal does
 * this). Leases keep two reviewers off the same task unless the loop asks for several answers;
 * a reviewer never answers the same loop twice. Errors: REVIEW_LOOP_NOT_FOUND, REVIEW_LOOP_CLOSED
 * (not pending, or already answered by this reviewer), REVIEW_INVALID_LABEL.
 */
export interface ReviewWorkbench {
  /**
   * Leases the next task for `reviewerId`: the one it already holds, else the oldest pending loop
   * with a free answer slot that the reviewer has not answered or skipped, else the one it skipped
   * longest ago. Null when there is nothing to do.
   */
  claimNext(reviewerId: string): Promise<ReviewClaim | null>;
  /** Gives the lease back; with `skip` the task goes to the back of this reviewer's queue. */
  release(name: string, reviewerId: string, options?: { skip?: boolean }): Promise<void>;
  /** Records an answer (syntax-checked label); completes the loop once the required answers agree. */
  submitAnswer(name: string, reviewerId: string, label: string): Promise<{ task: ReviewTask; outcome: ReviewSubmitOutcome }>;
  getTask(name: string): Promise<ReviewTask | null>;
  progress(reviewerId: string): Promise<ReviewProgress>;
}
