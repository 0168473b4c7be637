import { promises as fs } from 'fs';
import { RelabelError } from '@relabel/contracts';

const STALE_MS = 10_000;
const WAIT_MS = 5_000;

/**
 * A cross-process mutex on `<file>.lock` (O_EXCL create). Several services share the parameter file;
 * writers serialise here so a read-modify-write never loses another process's update. A lock left by
 * a killed process is taken over once it is older than any write could last.
 */
export async function withFileLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      const handle = await fs.open(lock, 'wx');
      await handle.writeFile(`${process.pid} ${new Date().toISOString()}\n`);
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      await removeIfStale(lock);
      if (Date.now() > deadline) {
        throw new RelabelError('PARAM_STORE_UNAVAILABLE', `parameter file is locked by another writer (${lock})`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 20));
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lock, { force: true });
  }
}

async function removeIfStale(lock: string): Promise<void> {
  try {
    const stat = await fs.stat(lock);
    if (Date.now() - stat.mtimeMs > STALE_MS) await fs.rm(lock, { force: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
