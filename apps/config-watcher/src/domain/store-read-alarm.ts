/** What the parameters cache reports about its last read of the store. */
export interface StoreReadError {
  message: string;
  at: string;
  code?: string;
  retryable: boolean;
}

/**
 * Raises once when the parameter store starts refusing reads for a reason that will not heal by
 * itself (e.g. PARAM_STORE_ACCESS_DENIED: a missing IAM grant), and clears once when a read
 * succeeds again, so the operator is told instead of the services quietly running on defaults.
 * Transient failures (throttling, outages) are retried and shown in `/status`, never alarmed.
 */
export class StoreReadAlarm {
  private raised?: StoreReadError;

  update(readError: StoreReadError | undefined): { raised?: StoreReadError; cleared?: StoreReadError } {
    if (readError && !readError.retryable) {
      if (this.raised?.code === readError.code) return {};
      this.raised = readError;
      return { raised: readError };
    }
    if (!readError && this.raised) {
      const cleared = this.raised;
      this.raised = undefined;
      return { cleared };
    }
    return {};
  }
}
