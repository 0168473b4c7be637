import { createHash, randomBytes } from 'crypto';

/** Account API tokens: `rlt_<id>_<secret>`; the id names the token in listings and revocations. */
const TOKEN = /^rlt_([a-f0-9]{12})_[A-Za-z0-9_-]{43}$/;

/**
 * A new token and what is stored of it. A sha256 digest is enough here (unlike passwords): the
 * token carries 256 random bits, so a stolen digest cannot be guessed back.
 */
export function newApiToken(): { token: string; id: string; hash: string } {
  const id = randomBytes(6).toString('hex');
  const token = `rlt_${id}_${randomBytes(32).toString('base64url')}`;
  return { token, id, hash: hashApiToken(token) };
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function looksLikeApiToken(token: string): boolean {
  return TOKEN.test(token);
}
