/** The fields every AWS SDK v3 service exception carries (and a network error may lack). */
export interface SdkErrorLike {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'SlowDown',
]);

/** The service's exception name; for a bare network error (no service answer) its code, e.g. ECONNREFUSED. */
export function errorName(err: unknown): string {
  const e = err as SdkErrorLike & { code?: unknown };
  if ((!e?.name || e.name === 'Error') && typeof e?.code === 'string') return e.code;
  return e?.name ?? 'Error';
}
export const errorStatus = (err: unknown): number | undefined => (err as SdkErrorLike)?.$metadata?.httpStatusCode;
export const errorMessage = (err: unknown): string => (err as SdkErrorLike)?.message ?? String(err);

/** The service asked us to slow down: retry later, with backoff. */
export function isThrottling(err: unknown): boolean {
  return THROTTLING.has(errorName(err)) || errorStatus(err) === 429;
}

/** The AbortSignal we pass to `client.send` fired (our own timeout), not a service answer. */
export function isAbort(err: unknown): boolean {
  const name = errorName(err);
  return name === 'AbortError' || name === 'TimeoutError';
}
