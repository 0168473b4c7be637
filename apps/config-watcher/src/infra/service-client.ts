import { ERRORS, ErrorCode, RelabelError } from '@relabel/contracts';

const TIMEOUT_MS = 5000;

/**
 * The credentials of the console user's own request (its session cookie and CSRF token, or its
 * bearer token), sent on instead of the admin token so the other service records that account.
 */
export type ForwardedCredentials = Record<string, string>;

/** One other relabel service's operator API, called server-side with the admin token or forwarded credentials. */
export interface ServiceClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown, as?: ForwardedCredentials): Promise<T>;
}

/**
 * An HTTP client of `baseUrl`. The service's own coded errors come back as the same RelabelError
 * (so the console shows the message the API gives); an unreachable service or an uncoded answer is
 * DEPENDENCY_UNAVAILABLE naming the service.
 */
export function httpServiceClient(service: string, baseUrl: string, token: string | undefined): ServiceClient {
  const call = async <T>(method: string, path: string, body?: unknown, as?: ForwardedCredentials): Promise<T> => {
    const credentials = as ?? (token ? { authorization: `Bearer ${token}` } : {});
    let res: Response;
    try {
      res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { ...credentials, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new RelabelError('DEPENDENCY_UNAVAILABLE', `the ${service} is not reachable at ${baseUrl} (${cause})`);
    }
    const data = (await res.json().catch(() => null)) as { code?: unknown; message?: unknown; details?: Record<string, unknown> } | null;
    if (res.ok) return data as T;
    const code = typeof data?.code === 'string' && data.code in ERRORS ? (data.code as ErrorCode) : null;
    // the console's own session is fine; it is this service that refused config-watcher's token (or
    // the forwarded session: then the two do not share the sessions' Redis)
    if (code === 'AUTH_REQUIRED' || code === 'AUTH_INVALID') throw new RelabelError('DEPENDENCY_UNAVAILABLE', `the ${service} refused ${as ? 'the forwarded session' : 'the admin token'} (${code})`);
    if (code && typeof data?.message === 'string') throw new RelabelError(code, data.message, data.details);
    throw new RelabelError('DEPENDENCY_UNAVAILABLE', `the ${service} answered ${res.status} to ${method} ${path}`);
  };
  return { get: (path) => call('GET', path), post: (path, body, as) => call('POST', path, body ?? {}, as) };
}
