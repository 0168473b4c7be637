/**
 * The optional cap on new review loops per clock hour (`RELABEL_REVIEW_MAX_LOOPS_PER_HOUR`), so a
 * burst of unfamiliar images cannot flood the reviewers. Shared by every detector replica.
 */
export interface ReviewCap {
  /** Takes one of this hour's slots; false when the cap is reached. */
  tryTake(at: Date): Promise<boolean>;
  /** Returns a slot taken at `at` that did not open a loop after all (it existed, or the start failed). */
  giveBack(at: Date): Promise<void>;
}

export const NO_REVIEW_CAP: ReviewCap = {
  tryTake: async () => true,
  giveBack: async () => undefined,
};

/** `2026-12-01T10` — the fixed window a slot belongs to (UTC clock hour). */
export function capWindow(at: Date): string {
  return at.toISOString().slice(0, 13);
}
