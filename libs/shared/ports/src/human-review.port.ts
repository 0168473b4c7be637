export type HumanLoopStatus = 'pending' | 'completed' | 'failed' | 'stopped';

export interface HumanLoopStart {
  /** A2I-valid: `^[a-z0-9](-*[a-z0-9])*$`, at most 63 characters. */
  name: string;
  imageKey: string;
  /** the model's best guess, shown to reviewers as a hint */
  guess: { label: string; confidence: number } | null;
  /**
   * The choices to offer (SPEC 5D.4), for review services that cannot compute them (A2I's worker
   * template shows what the loop's input carries; `None of the Above` is always added). The local
   * review page computes its own and ignores this.
   */
  categories?: string[];
}

export interface HumanLoop {
  name: string;
  status: HumanLoopStatus;
  imageKey: string;
  guess: { label: string; confidence: number } | null;
  createdAt: string;
  completedAt?: string;
  failureReason?: string;
  /** where the A2I-format output.json was written, once completed */
  outputKey?: string;
  /** the reviewers' final answer once completed: a label or `None of the Above` */
  answer?: HumanLoopAnswer;
}

export interface HumanLoopAnswer {
  /** the winning label (majority of the answers), or `None of the Above` */
  label: string;
  /** how many reviewers answered */
  answerCount: number;
  answeredAt: string;
}

/**
 * Human review (A2I, or the local review service). Results arrive as output files in the object
 * store (SPEC 5D), not through this interface.
 */
export interface HumanReview {
  /** Idempotent by name: starting an existing loop returns it with `created: false`. */
  startHumanLoop(input: HumanLoopStart): Promise<{ loop: HumanLoop; created: boolean }>;
  describeHumanLoop(name: string): Promise<HumanLoop | null>;
  listHumanLoops(options?: { status?: HumanLoopStatus; cursor?: string; limit?: number }): Promise<{ items: HumanLoop[]; nextCursor?: string }>;
}
