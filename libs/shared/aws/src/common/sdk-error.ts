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
  'SlowDown',
]);

/**
 * A service quota (a count of resources or concurrent jobs), not a request rate: retrying soon only
 * burns time, so callers fail with QUOTA_EXCEEDED naming the quota. Rekognition's LimitExceededException
 * is of this kind (concurrent trainings, running models), as is ServiceQuotaExceededException.
 */
const QUOTA = new Set(['ServiceQuotaExceededException', 'LimitExceededException']);

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

export const isQuotaExceeded = (err: unknown): boolean => QUOTA.has(errorName(err));
