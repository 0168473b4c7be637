import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import path from 'path';

export interface AtomicWriteOptions {
  /** file mode of a new file (default 0o666, less the umask) */
  mode?: number;
  /** where the temp file goes (default: next to the target); must be on the same filesystem */
  tempDir?: string;
  /** runs once the target's directory exists, just before the rename (e.g. a containment check) */
  beforeRename?: (dir: string) => Promise<void>;
}

/**
 * The one atomic replace of `libs/shared/local`: `fill` writes a fresh temp file, which is fsynced
 * and renamed over `target`, then the directory is fsynced. A reader in any process sees the old
 * content or the whole new one, and a crash leaves no half file (at most a stray temp file).
 */
export async function replaceFileAtomic(target: string, fill: (tempFile: string) => Promise<void>, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = path.dirname(target);
  if (!options.tempDir) await fs.mkdir(dir, { recursive: true });
  // no part of the target's name: a long file name plus a suffix could exceed the filesystem's limit
  const temp = path.join(options.tempDir ?? dir, `.${process.pid}-${randomBytes(8).toString('hex')}.tmp`);
  try {
    await fill(temp);
    await syncPath(temp, 'r+');
    await fs.mkdir(dir, { recursive: true });
    await options.beforeRename?.(dir);
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
  await syncPath(dir, 'r');
}

/** `replaceFileAtomic` with the bytes in hand. */
export async function writeFileAtomic(file: string, data: string | Buffer, options: AtomicWriteOptions = {}): Promise<void> {
  await replaceFileAtomic(file, (temp) => fs.writeFile(temp, data, { flag: 'wx', mode: options.mode ?? 0o666 }), options);
}

/** Reads a file, answering null when it does not exist. */
export async function readFileIfExists(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function syncPath(file: string, flags: 'r' | 'r+'): Promise<void> {
  const handle = await fs.open(file, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
