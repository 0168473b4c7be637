import { readFileSync } from 'fs';
import path from 'path';
import { ERRORS, RelabelError } from './errors';

describe('the error catalog', () => {
  const doc = readFileSync(path.join(__dirname, '..', 'ERRORS.md'), 'utf8');

  it.each(Object.entries(ERRORS))('%s is well-formed and documented with its status', (code, entry) => {
    expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
    expect(entry.status).toBeGreaterThanOrEqual(400);
    expect(entry.status).toBeLessThan(600);
    expect(doc).toContain(`| \`${code}\` | ${entry.status} | ${entry.retryable ? 'yes' : 'no'} |`);
  });

  it('documents no code that the catalog lacks', () => {
    const documented = [...doc.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(ERRORS).sort());
  });

  it('carries status and retryability on the error itself', () => {
    const err = new RelabelError('IMAGE_TOO_LARGE', 'too big', { limit: 1 });
    expect(err).toMatchObject({ code: 'IMAGE_TOO_LARGE', status: 413, retryable: false, details: { limit: 1 }, message: 'too big' });
    expect(new RelabelError('STORE_UNAVAILABLE').retryable).toBe(true);
  });
});
