/** A raw parameter as stored: the value is a string, validated by the caller (contracts). */
export interface StoredParameter {
  name: string;
  value: string;
  /** increases on every write (SSM Version; a counter locally) */
  version: number;
  lastModified: string;
}

/** One recorded change of a parameter (the audit log). */
export interface ParameterChange {
  name: string;
  /** null when the parameter did not exist before */
  oldValue: string | null;
  /** null when the parameter was deleted */
  newValue: string | null;
  version: number;
  /**
   * Who/what made the change: `api:<caller>` for writes through the admin API, `out-of-band` for
   * edits made around it (a hand-edited file, a direct SSM write), `defaults` for the first start.
   */
  source: string;
  at: string;
}

export interface ParameterPutOptions {
  /** recorded in the history; `api:<caller>` for admin API writes */
  source?: string;
}

export interface ParameterHistoryPage {
  /** newest first */
  items: ParameterChange[];
  /** pass back to get older entries; absent on the last page */
  nextCursor?: string;
}

/**
 * Parameters under the configured path prefix (names here are without it, e.g. `Minimum-F1-Score`).
 * Errors: PARAM_STORE_UNAVAILABLE (transient).
 */
export interface ParameterStore {
  getAll(): Promise<StoredParameter[]>;
  put(name: string, value: string, options?: ParameterPutOptions): Promise<StoredParameter>;
  /**
   * The durable change log, newest first (writes made around this store included, as far as the
   * backend can see them: SSM keeps its own parameter history; the local file store records edits
   * of its file once it notices them).
   */
  history(options?: { name?: string; cursor?: string; limit?: number }): Promise<ParameterHistoryPage>;
  /**
   * Calls `onChange` with the names that may have changed (writes made around this process
   * included). Returns a function that stops watching.
   */
  watch(onChange: (names: string[]) => void): Promise<() => Promise<void>>;
}
