import { RelabelError, type ErrorCode } from '@relabel/contracts';

interface SdkError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const NOT_FOUND_NAMES = new Set(['NoSuchKey', 'NotFound']);
const THROTTLING_NAMES = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'ServiceUnavailable']);

/** Not found is a 404 or a named NoSuchKey/NotFound (HeadObject has no body, so only the status). */
export function isS3NotFound(err: unknown): boolean {
  const e = err as SdkError;
  return NOT_FOUND_NAMES.has(e?.name ?? '') || e?.$metadata?.httpStatusCode === 404;
}

/**
 * Translates an S3 SDK error into the store's codes: missing → STORE_NOT_FOUND; everything else
 * (throttling, 5xx, network, access) → STORE_UNAVAILABLE, which workers retry with backoff. The SDK
 * message is kept as the cause, never as the public message.
 */
export function s3Error(err: unknown, key: string, op: string): RelabelError {
  if (err instanceof RelabelError) return err;
  const e = err as SdkError;
  const status = e?.$metadata?.httpStatusCode;
  let code: ErrorCode = 'STORE_UNAVAILABLE';
  let why = e?.name ?? 'error';
  if (isS3NotFound(err)) code = 'STORE_NOT_FOUND';
  else if (THROTTLING_NAMES.has(e?.name ?? '') || status === 429 || status === 503) why = `throttled (${why})`;
  else if (status !== undefined && status >= 500) why = `S3 ${status} (${why})`;
  const message = code === 'STORE_NOT_FOUND' ? `No object with key ${key}` : `S3 ${op} failed for ${key}: ${why}`;
  return new RelabelError(code, message, { key, op, status }, { cause: err });
}

/** ETags arrive quoted (`"abc…"`); the ports speak them bare. */
export function bareETag(eTag: string | undefined): string {
  return (eTag ?? '').replace(/^W\//, '').replace(/^"|"$/g, '');
}
