import { RelabelError } from '@relabel/contracts';

interface SdkError {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

export function isSsmNotFound(err: unknown): boolean {
  return (err as SdkError)?.name === 'ParameterNotFound';
}

const DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);

/**
 * A denied call is PARAM_STORE_ACCESS_DENIED (not retryable, reported loudly): it will not heal by
 * itself, and a quiet fallback would leave operators' edits ignored. The message names the action and
 * the resource IAM evaluates: for GetParametersByPath that is the path itself (`parameter/relabel`),
 * which a grant of `parameter/relabel/*` does not cover. Every other SSM failure the store cannot
 * handle (throttling, 5xx, network) becomes PARAM_STORE_UNAVAILABLE: callers keep the values in force
 * and retry. The SDK error stays the cause.
 */
export function ssmError(err: unknown, op: string, name?: string): RelabelError {
  if (err instanceof RelabelError) return err;
  const e = err as SdkError;
  const what = name ? `${op} ${name}` : op;
  if (DENIED.has(e?.name ?? '') || e?.$metadata?.httpStatusCode === 403) {
    const resource = `parameter${name?.startsWith('/') ? '' : '/'}${name ?? '…'}`;
    return new RelabelError(
      'PARAM_STORE_ACCESS_DENIED',
      `SSM ${what} was denied (${e?.name ?? 403}): the role needs ssm:${op} on arn:…:${resource}`,
      { op, name, status: e?.$metadata?.httpStatusCode },
      { cause: err },
    );
  }
  return new RelabelError('PARAM_STORE_UNAVAILABLE', `SSM ${what} failed: ${e?.name ?? 'error'}`, { op, name, status: e?.$metadata?.httpStatusCode }, { cause: err });
}
