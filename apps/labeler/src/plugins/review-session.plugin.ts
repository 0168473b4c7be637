import { createHash, randomBytes } from 'crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { RelabelError } from '@relabel/contracts';
import { bearerToken, safeEqual } from '@relabel/platform';
import { readCookie, serializeCookie, signValue, unsignValue } from '../infra/session-cookie';

export const SESSION_COOKIE = 'relabel_review';
const SESSION_MS = 12 * 60 * 60 * 1000;
export const REVIEWER_NAME_PATTERN = '^[A-Za-z0-9_.@-]{1,64}$';
const REVIEWER_NAME = new RegExp(REVIEWER_NAME_PATTERN);

declare module 'fastify' {
  interface FastifyInstance {
    /** reviewer bearer token, or a review session cookie; sets `request.reviewerId` */
    requireReviewerSession: preHandlerAsyncHookHandler;
    startReviewSession(reply: FastifyReply, input: { token: string; reviewer: string }): string;
    endReviewSession(reply: FastifyReply): void;
  }
  interface FastifyRequest {
    reviewerId: string;
  }
}

function checkReviewerName(name: string): string {
  if (!REVIEWER_NAME.test(name)) throw new RelabelError('REQUEST_INVALID', 'reviewer names use 1-64 letters, digits, "_", ".", "@" or "-"');
  return name;
}

/**
 * Reviewer authentication for the review page and API. The page logs in once with the reviewer
 * token and gets a signed, HttpOnly, SameSite=Strict cookie naming the reviewer (so answers carry a
 * worker id and majority voting can tell reviewers apart); API clients send the bearer token and an
 * optional `X-Reviewer` header. The cookie secret derives from the token: rotating the token ends
 * every session.
 */
async function reviewSession(app: FastifyInstance): Promise<void> {
  const token = app.config.tokens.reviewer;
  const secret = token ? createHash('sha256').update(`relabel-review-session:${token}`).digest('hex') : randomBytes(32).toString('hex');
  app.decorateRequest('reviewerId', '');

  app.decorate('startReviewSession', (reply: FastifyReply, input: { token: string; reviewer: string }) => {
    const reviewer = checkReviewerName(input.reviewer);
    if (!token || !safeEqual(input.token, token)) throw new RelabelError('AUTH_INVALID', 'the reviewer token is not valid');
    const secure = reply.request.protocol === 'https';
    reply.header('set-cookie', serializeCookie(SESSION_COOKIE, signValue(`${reviewer}|${Date.now()}`, secret), { maxAgeSeconds: SESSION_MS / 1000, secure }));
    return reviewer;
  });

  app.decorate('endReviewSession', (reply: FastifyReply) => {
    reply.header('set-cookie', serializeCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: false }));
  });

  const fromSession = (request: FastifyRequest): string | null => {
    const raw = readCookie(request.headers.cookie, SESSION_COOKIE);
    const value = raw ? unsignValue(raw, secret) : null;
    if (!value) return null;
    const [name, issued] = value.split('|');
    if (!name || !REVIEWER_NAME.test(name) || !(Date.now() - Number(issued) < SESSION_MS)) return null;
    return name;
  };

  app.decorate('requireReviewerSession', async function (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
    const sessionReviewer = bearerToken(request) ? null : fromSession(request);
    if (sessionReviewer) {
      request.reviewerId = sessionReviewer;
      return;
    }
    await app.requireReviewer.call(this, request, reply);
    const header = request.headers['x-reviewer'];
    request.reviewerId = typeof header === 'string' && header ? checkReviewerName(header) : 'api';
  });
}

export const reviewSessionPlugin = fp(reviewSession, { name: 'relabel-review-session', dependencies: ['relabel-platform'] });
