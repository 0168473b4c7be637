import type { Logger, OperationalStateStore } from '@relabel/ports';

/** What detection needs to know about the live model. */
export interface ActiveModelSource {
  /** The cached live version (null before the first deployment). */
  current(): Promise<string | null>;
  /** Re-reads the durable pointer now; concurrent callers share one read. */
  refresh(): Promise<string | null>;
}

/**
 * Follows the durable active-model pointer (written by the trainer). Reads are cached so a request
 * costs no store read; the cache is refreshed when the trainer announces a switch and periodically
 * as a safety net for a missed announcement. A failed refresh keeps the last known version, so a
 * flaky state store never turns into failed detections.
 */
export class ActiveModelTracker implements ActiveModelSource {
  private version: string | null = null;
  private loaded = false;
  private inflight: Promise<string | null> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly state: Pick<OperationalStateStore, 'get'>,
    private readonly logger: Logger,
  ) {}

  async current(): Promise<string | null> {
    return this.loaded ? this.version : this.refresh();
  }

  refresh(): Promise<string | null> {
    this.inflight ??= this.read().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** Starts the periodic re-read. */
  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => void this.refresh(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async read(): Promise<string | null> {
    try {
      const next = await this.state.get('activeModelVersion');
      if (this.loaded && next !== this.version) this.logger.info({ from: this.version, to: next }, 'live model version switched');
      this.version = next;
      this.loaded = true;
    } catch (err) {
      if (!this.loaded) throw err;
      this.logger.warn({ err: (err as Error).message }, 'cannot re-read the active model version; keeping the last one');
    }
    return this.version;
  }
}
