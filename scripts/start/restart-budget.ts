export interface RestartBudgetOptions {
  /** restarts allowed inside one window before the supervisor waits the window out */
  max: number;
  windowMs: number;
  /** delay before the first restart in a window, doubled per further exit, capped */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RESTART_BUDGET: RestartBudgetOptions = { max: 5, windowMs: 10 * 60_000, baseDelayMs: 2000, maxDelayMs: 30_000 };

export interface RestartDecision {
  delayMs: number;
  /** exits inside the current window, this one included */
  recent: number;
  /** true when the budget is spent and the delay waits for the oldest exit to leave the window */
  throttled: boolean;
}

/**
 * When to restart a process that exited: a budget per sliding window (e.g. 5 in 10 minutes), not
 * per lifetime, so a week of rare crashes never adds up to an outage. Inside a window each exit
 * doubles the delay; a spent budget waits until the window has room again, and then goes on.
 */
export class RestartBudget {
  private exits: number[] = [];

  constructor(private readonly options: RestartBudgetOptions = DEFAULT_RESTART_BUDGET) {}

  onExit(now: number): RestartDecision {
    const { max, windowMs, baseDelayMs, maxDelayMs } = this.options;
    this.exits = this.exits.filter((at) => now - at < windowMs);
    this.exits.push(now);
    const recent = this.exits.length;
    const backoff = Math.min(baseDelayMs * 2 ** (recent - 1), maxDelayMs);
    if (recent <= max) return { delayMs: backoff, recent, throttled: false };
    // The restart lands when only `max` exits remain inside the window.
    const oldestCounted = this.exits[recent - 1 - max]!;
    return { delayMs: Math.max(backoff, oldestCounted + windowMs - now), recent, throttled: true };
  }
}
