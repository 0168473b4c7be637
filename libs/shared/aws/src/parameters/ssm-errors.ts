import { RelabelError } from '@relabel/contracts';

interface SdkError {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

export function isSsmNotFound(err: unknown): boolean {
  return (err as SdkError)?.name === 'ParameterNotFound';
}

/**
 * Every SSM failure the store cannot handle (throttling, 5xx, network, access) becomes
 * PARAM_STORE_UNAVAILABLE: callers keep the values in force and retry. The SDK error stays the cause.
 */
export function ssmError(err: unknown, op: string, name?: string): RelabelError {
  if (err instanceof RelabelError) return err;
  const e = err as SdkError;
  const what = name ? `${op} ${name}` : op;
  return new RelabelError('PARAM_STORE_UNAVAILABLE', `SSM ${what} failed: ${e?.name ?? 'error'}`, { op, name, status: e?.$metadata?.httpStatusCode }, { cause: err });
}
