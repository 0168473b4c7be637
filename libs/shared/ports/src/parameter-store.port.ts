/** A raw parameter as stored: the value is a string, validated by the caller (contracts). */
export interface StoredParameter {
  name: string;
  value: string;
  /** increases on every write (SSM Version; a counter locally) */
  version: number;
  lastModified: string;
}

/**
 * Parameters under the configured path prefix (names here are without it, e.g. `Minimum-F1-Score`).
 * Errors: PARAM_STORE_UNAVAILABLE (transient).
 */
export interface ParameterStore {
  getAll(): Promise<StoredParameter[]>;
  put(name: string, value: string): Promise<StoredParameter>;
  /**
   * Calls `onChange` with the names that may have changed (writes made around this process
   * included). Returns a function that stops watching.
   */
  watch(onChange: (names: string[]) => void): Promise<() => Promise<void>>;
}
