export interface RecordedError {
  at: string;
  source: string;
  message: string;
}

/** The last few errors of this service's own background work (store watch, notifications), for `/status`. */
export class RecentErrors {
  private readonly items: RecordedError[] = [];

  constructor(private readonly keep = 20) {}

  record(source: string, err: unknown): void {
    this.items.unshift({ at: new Date().toISOString(), source, message: err instanceof Error ? err.message : String(err) });
    this.items.splice(this.keep);
  }

  list(): RecordedError[] {
    return [...this.items];
  }
}
