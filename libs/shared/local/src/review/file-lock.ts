import { open, rename, stat, unlink } from 'fs/promises';
import { randomUUID } from 'crypto';
import { RelabelError } from '@relabel/contracts';

export interface FileLockOptions {
  /** a lock older than this belongs to a process that died holding it and is broken */
  staleMs?: number;
  /** give up (retryable DEPENDENCY_UNAVAILABLE) after waiting this long */
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` while holding an exclusive lock file (`O_CREAT|O_EXCL`), so several processes sharing
 * the review directory (the detector starts loops, the labeler serves them) never interleave a
 * read-modify-write of the same loop. Locks are held for milliseconds; a stale one is moved aside
 * with an atomic rename, so only one waiter can break it.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const staleMs = options.staleMs ?? 10_000;
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid} ${new Date().toISOString()}\n`);
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    await breakIfStale(path, staleMs);
    if (Date.now() > deadline) {
      throw new RelabelError('DEPENDENCY_UNAVAILABLE', `timed out waiting for the review lock ${path}`);
    }
    await sleep(Math.min(50, 2 + attempt * 2) + Math.random() * 5);
  }
  try {
    return await fn();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}

async function breakIfStale(path: string, staleMs: number): Promise<void> {
  try {
    const info = await stat(path);
    if (Date.now() - info.mtimeMs < staleMs) return;
    const aside = `${path}.stale-${randomUUID()}`;
    await rename(path, aside);
    await unlink(aside);
  } catch {
    // gone already, or another waiter broke it first
  }
}
