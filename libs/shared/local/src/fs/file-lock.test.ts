import { mkdtemp, rm, utimes, writeFile } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { withFileLock } from './file-lock';

describe('withFileLock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'relabel-lock-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const timeoutError = (lock: string) => new Error(`timed out on ${lock}`);

  it('runs holders one at a time, breaks a stale lock and times out on a live one', async () => {
    const lock = join(dir, 'x.lock');
    const order: string[] = [];
    const hold = (name: string) =>
      withFileLock(lock, async () => {
        order.push(`${name}+`);
        await new Promise((resolve) => setImmediate(resolve));
        order.push(`${name}-`);
      }, { timeoutError });
    await Promise.all([hold('a'), hold('b'), hold('c')]);
    expect(order.join(' ')).toMatch(/^(\w)\+ \1- (\w)\+ \2- (\w)\+ \3-$/);

    await writeFile(lock, 'dead process\n');
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    await expect(withFileLock(lock, async () => 'taken over', { staleMs: 1_000, timeoutError })).resolves.toBe('taken over');

    await writeFile(lock, 'live process\n');
    await expect(withFileLock(lock, async () => 'never', { timeoutMs: 50, timeoutError })).rejects.toThrow(`timed out on ${lock}`);
  });
});
