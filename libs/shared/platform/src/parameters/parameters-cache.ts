import { CONFIG_CHANGED_CHANNEL, defaultParameters, isRelabelError, ParameterName, Parameters } from '@relabel/contracts';
import type { Logger, ParameterStore } from '@relabel/ports';
import { changedNames, lastValidValue, ParameterIssue, resolveParameters } from './resolve-parameters';

export type ParametersListener = (next: Parameters, names: ParameterName[]) => void | Promise<void>;

export interface ParametersCacheOptions {
  store: ParameterStore;
  /**
   * Subscribes to a pub/sub channel (un-prefixed name; e.g. the platform's `app.subscribe`). The
   * message content is ignored: any message means "re-read the store". Omitted by config-watcher,
   * whose cache follows the store's own change notices instead.
   */
  subscribe?: (channel: string, handler: (message: unknown) => void) => Promise<unknown>;
  /** default `config.changed` */
  channel?: string;
  logger: Logger;
  /** periodic re-read, the safety net for a lost message (default 4000 ms: with the read itself, under the 5 s promise) */
  refreshMs?: number;
}

/**
 * The validated operator parameters every service reads. Refreshed from the store on `config.changed`
 * and periodically. A stored value that is missing or invalid never takes effect: the last valid one
 * stays in force. On a cold start that "last valid value" is the newest valid value in the store's
 * history, or the default (`PARAMETER_SPECS`) when there is none, so every process (started before or after a bad
 * edit) converges on the same values.
 */
export class ParametersCache {
  private values: Parameters = defaultParameters();
  private currentIssues: ParameterIssue[] = [];
  private readonly listeners = new Set<ParametersListener>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private queued?: Promise<void>;
  private started = false;
  private stopped = false;
  private lastReadError?: { message: string; at: string; code?: string; retryable: boolean };
  private lastRefreshAt?: string;

  constructor(private readonly opts: ParametersCacheOptions) {}

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.coldStart();
    await this.opts.subscribe?.(this.opts.channel ?? CONFIG_CHANGED_CHANNEL, () => void this.refresh());
    this.timer = setInterval(() => void this.refresh(), this.opts.refreshMs ?? 4000);
    this.timer.unref();
  }

  current(): Parameters {
    return { ...this.values };
  }

  /** Stored values not in force right now (invalid or missing). */
  issues(): ParameterIssue[] {
    return this.currentIssues.map((i) => ({ ...i }));
  }

  /**
   * Set when the last read of the store failed (the values in force are then the previous ones, or
   * the defaults on a cold start). `retryable: false` (e.g. PARAM_STORE_ACCESS_DENIED) will not heal
   * by itself: operators' edits are being ignored until someone fixes it.
   */
  readError(): { message: string; at: string; code?: string; retryable: boolean } | undefined {
    return this.lastReadError;
  }

  lastRefresh(): string | undefined {
    return this.lastRefreshAt;
  }

  /** Called with the new values and the names whose value in force changed. Returns an unsubscribe. */
  onChange(listener: ParametersListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Re-reads the store; resolves once a read that started after this call has finished (and its
   * listeners ran). Concurrent calls coalesce into one more read.
   */
  refresh(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (!this.running) {
      this.running = this.readOnce().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    this.queued ??= this.running.then(() => {
      this.queued = undefined;
      return this.refresh();
    });
    return this.queued;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.listeners.clear();
    await this.queued;
    await this.running;
  }

  private async coldStart(): Promise<void> {
    let readOk = true;
    const stored = await this.opts.store.getAll().catch((err: Error) => {
      readOk = false;
      this.readFailed(err);
      return [];
    });
    const first = resolveParameters(defaultParameters(), stored);
    const base = { ...first.values } as Record<ParameterName, boolean | number>;
    for (const issue of first.issues) {
      const history = await this.opts.store.history({ name: issue.name, limit: 100 }).catch(() => ({ items: [] }));
      const valid = lastValidValue(issue.name, history.items);
      if (valid !== undefined) base[issue.name] = valid;
    }
    const settled = resolveParameters(base as unknown as Parameters, stored);
    this.values = settled.values;
    // an unreadable store is reported as such, not as nine missing values
    this.currentIssues = readOk ? settled.issues : [];
    if (readOk) this.readSucceeded();
    this.logIssues();
  }

  private async readOnce(): Promise<void> {
    let stored;
    try {
      stored = await this.opts.store.getAll();
    } catch (err) {
      this.readFailed(err as Error);
      return;
    }
    this.readSucceeded();
    const { values, issues } = resolveParameters(this.values, stored);
    const names = changedNames(this.values, values);
    const issuesChanged = JSON.stringify(issues) !== JSON.stringify(this.currentIssues);
    this.values = values;
    this.currentIssues = issues;
    if (issuesChanged) this.logIssues();
    if (names.length === 0) return;
    this.opts.logger.info({ names, values: Object.fromEntries(names.map((n) => [n, values[n]])) }, 'operator parameters changed');
    for (const listener of this.listeners) {
      try {
        await listener(this.current(), names);
      } catch (err) {
        this.opts.logger.error({ err: (err as Error).message, names }, 'a parameters listener failed');
      }
    }
  }

  private readFailed(err: Error): void {
    const retryable = !isRelabelError(err) || err.retryable;
    const code = isRelabelError(err) ? err.code : undefined;
    this.lastReadError = { message: err.message, at: new Date().toISOString(), code, retryable };
    if (retryable) this.opts.logger.warn({ err: err.message, code }, 'cannot read the parameter store; the values in force stay');
    else this.opts.logger.error({ err: err.message, code }, 'the parameter store refuses to be read; stored values are ignored until this is fixed');
  }

  private readSucceeded(): void {
    this.lastReadError = undefined;
    this.lastRefreshAt = new Date().toISOString();
  }

  private logIssues(): void {
    for (const issue of this.currentIssues) {
      this.opts.logger.warn({ parameter: issue.name, value: issue.value, inForce: issue.inForce }, `ignored stored value: ${issue.reason}`);
    }
  }
}
