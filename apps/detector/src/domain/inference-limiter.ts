/** Releases an admission; calling it more than once is harmless. */
export type Release = () => void;

/**
 * Backpressure for detection. `run` bounds how many inferences (decode + model) run at once; the
 * rest wait in FIFO order. `tryAdmit` bounds how many HTTP requests may be inside the service at all
 * (running + waiting = concurrency + maxQueued), and is asked *before* the body is read, so under
 * overload a request costs a 503 instead of another image buffer: memory stays bounded.
 */
export class InferenceLimiter {
  private active = 0;
  private admitted = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly concurrency: number,
    readonly maxQueued: number,
  ) {}

  tryAdmit(): Release | null {
    if (this.admitted >= this.concurrency + this.maxQueued) return null;
    this.admitted++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.admitted--;
    };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter so a newcomer cannot overtake the queue.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  stats(): { active: number; waiting: number; admitted: number } {
    return { active: this.active, waiting: this.waiting.length, admitted: this.admitted };
  }
}
