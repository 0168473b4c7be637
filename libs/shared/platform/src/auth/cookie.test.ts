import { readCookie, serializeCookie } from './cookie';

describe('session cookie', () => {
  it('reads one cookie out of a Cookie header', () => {
    const header = `other=1; relabel_review=${encodeURIComponent('bob|5.sig')}; x=y`;
    expect(readCookie(header, 'relabel_review')).toBe('bob|5.sig');
    expect(readCookie(header, 'missing')).toBeUndefined();
    expect(readCookie(undefined, 'relabel_review')).toBeUndefined();
    expect(readCookie('relabel_review=%E0%A4%A', 'relabel_review')).toBeUndefined();
  });

  it('serialises HttpOnly, SameSite=Strict cookies, Secure on https', () => {
    expect(serializeCookie('c', 'a|b', { maxAgeSeconds: 60, secure: false })).toBe('c=a%7Cb; Path=/; HttpOnly; SameSite=Strict; Max-Age=60');
    expect(serializeCookie('c', 'v', { maxAgeSeconds: 0, secure: true })).toContain('; Secure');
  });
});
