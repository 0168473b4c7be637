import { createHash, timingSafeEqual } from 'crypto';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { RelabelError } from '@relabel/contracts';

/** Compares digests so neither content nor length of the secret leaks through timing. */
export function safeEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1]?.trim();
}

/** A preHandler accepting any of `tokens` (unset ones are ignored). With no token configured it refuses everything. */
export function requireBearer(tokens: Array<string | undefined>): preHandlerAsyncHookHandler {
  const accepted = tokens.filter((t): t is string => Boolean(t));
  return async (request) => {
    const given = bearerToken(request);
    if (!given) throw new RelabelError('AUTH_REQUIRED', 'send Authorization: Bearer <token>');
    if (!accepted.some((t) => safeEqual(given, t))) throw new RelabelError('AUTH_INVALID');
  };
}
