import { open, rename, stat, unlink } from 'fs/promises';
import { randomUUID } from 'crypto';

export interface FileLockOptions {
  /** a lock older than this belongs to a process that died holding it and is broken */
  staleMs?: number;
  /** give up after waiting this long */
  timeoutMs?: number;
  /** the error to throw on timeout (the caller's catalogued code) */
  timeoutError: (lockPath: string) => Error;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` while holding an exclusive lock file (`O_CREAT|O_EXCL`) at `lockPath`, so several
 * processes sharing a directory (the parameter file, the review loops) never interleave a
 * read-modify-write. Locks are held for milliseconds; a stale one is moved aside with an atomic
 * rename, so only one waiter can break it.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, options: FileLockOptions): Promise<T> {
  const staleMs = options.staleMs ?? 10_000;
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(`${process.pid} ${new Date().toISOString()}\n`);
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    await breakIfStale(lockPath, staleMs);
    if (Date.now() > deadline) throw options.timeoutError(lockPath);
    await sleep(Math.min(50, 2 + attempt * 2) + Math.random() * 5);
  }
  try {
    return await fn();
  } finally {
    await unlink(lockPath).catch(() => undefined);
  }
}

async function breakIfStale(lockPath: string, staleMs: number): Promise<void> {
  try {
    const info = await stat(lockPath);
    if (Date.now() - info.mtimeMs < staleMs) return;
    const aside = `${lockPath}.stale-${randomUUID()}`;
    await rename(lockPath, aside);
    await unlink(aside);
  } catch {
    // gone already, or another waiter broke it first
  }
}
