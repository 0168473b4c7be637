import { hashApiToken, looksLikeApiToken, newApiToken } from './api-token';
import { hashPassword, verifyPassword } from './password-hash';

describe('password hashes', () => {
  it('are salted scrypt strings that verify only the right password', async () => {
    const [one, two] = await Promise.all([hashPassword('correct horse battery'), hashPassword('correct horse battery')]);
    expect(one).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(one).not.toBe(two);
    expect(await verifyPassword('correct horse battery', one)).toBe(true);
    expect(await verifyPassword('correct horse batterz', one)).toBe(false);
    expect(await verifyPassword('', one)).toBe(false);
  });

  it('never match a deleted account (empty hash) or a malformed one', async () => {
    expect(await verifyPassword('anything', '')).toBe(false);
    expect(await verifyPassword('anything', 'scrypt$1$1$1$c2FsdA$a2V5')).toBe(false);
    expect(await verifyPassword('anything', 'bcrypt$2b$10$abc')).toBe(false);
    expect(await verifyPassword('anything', 'scrypt$99999999$8$1$c2FsdA$a2V5')).toBe(false);
    expect(await verifyPassword('anything', `scrypt$3$8$1$c2FsdA$${Buffer.alloc(32).toString('base64url')}`)).toBe(false);
  });
});

describe('API tokens', () => {
  it('carry their id, and only their sha256 is kept', () => {
    const { token, id, hash } = newApiToken();
    expect(token).toMatch(new RegExp(`^rlt_${id}_`));
    expect(looksLikeApiToken(token)).toBe(true);
    expect(hash).toBe(hashApiToken(token));
    expect(hash).not.toContain(token.slice(17));
    expect(looksLikeApiToken('test-reviewer-token-0123456789')).toBe(false);
    expect(newApiToken().token).not.toBe(token);
  });
});
