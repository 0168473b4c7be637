import type { Logger } from '@relabel/ports';

export type ReconcileReason = 'start' | 'redis-reset' | 'reconnect' | 'sweep' | 'deferred';

/** What one reconcile task found: `deferred` counts items too young to judge yet (looked at again soon). */
export interface ReconcileReport {
  pending: number;
  deferred?: number;
  [detail: string]: unknown;
}

export type ReconcileTask = (reason: ReconcileReason) => Promise<ReconcileReport>;

export interface ReconcilerOptions {
  /** the slow periodic sweep */
  intervalMs: number;
  /** when a task deferred young items, it runs again after this long */
  deferMs: number;
}

/**
 * Rebuilds a service's pending work from durable state (the object store is the truth, Redis is a
 * cache of work): every registered task runs at start, when Redis comes back empty or reconnects,
 * and on a slow sweep. Runs never overlap; a request during a run makes one more run after it.
 * A failing task is logged and tried again on the next trigger, never fatal.
 */
export class Reconciler {
  private readonly tasks = new Map<string, ReconcileTask>();
  private running: Promise<void> | null = null;
  private again: ReconcileReason | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private deferTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly logger: Logger,
    private readonly options: ReconcilerOptions,
  ) {}

  add(name: string, task: ReconcileTask): void {
    if (this.tasks.has(name)) throw new Error(`a reconcile task ${name} is already registered`);
    this.tasks.set(name, task);
  }

  get size(): number {
    return this.tasks.size;
  }

  start(): Promise<void> {
    this.stopped = false;
    this.sweepTimer = setInterval(() => void this.trigger('sweep'), this.options.intervalMs);
    this.sweepTimer.unref();
    return this.trigger('start');
  }

  /** Runs every task now (or right after the run in progress); resolves when that run is over. */
  trigger(reason: ReconcileReason): Promise<void> {
    if (this.stopped || this.tasks.size === 0) return Promise.resolve();
    if (this.running) {
      this.again = this.again ?? reason;
      return this.running;
    }
    this.running = this.runAll(reason).finally(() => {
      this.running = null;
      const next = this.again;
      this.again = null;
      if (next && !this.stopped) void this.trigger(next);
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    if (this.deferTimer) clearTimeout(this.deferTimer);
    this.sweepTimer = this.deferTimer = null;
    await this.running;
  }

  private async runAll(reason: ReconcileReason): Promise<void> {
    let deferred = 0;
    for (const [name, task] of this.tasks) {
      if (this.stopped) return;
      try {
        const report = await task(reason);
        deferred += report.deferred ?? 0;
        const level = report.pending > 0 ? 'info' : 'debug';
        this.logger[level]({ task: name, reason, ...report }, report.pending > 0 ? 'reconciled pending work from durable state' : 'reconcile found nothing pending');
      } catch (err) {
        this.logger.warn({ task: name, reason, err: (err as Error).message }, 'reconcile failed; it runs again on the next trigger');
      }
    }
    if (deferred > 0 && !this.deferTimer && !this.stopped) {
      this.deferTimer = setTimeout(() => {
        this.deferTimer = null;
        void this.trigger('deferred');
      }, this.options.deferMs);
      this.deferTimer.unref();
    }
  }
}
