import { promises as fs } from 'fs';
import * as path from 'path';
import { RelabelError } from '@relabel/contracts';
import { replaceFileAtomic } from '../fs/atomic-file';
import { TEMP_DIR_NAME } from './object-key';

/** Temp files older than this were left by a crashed writer (no live write takes an hour). */
const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * Writes objects the way a reader can never observe half of: the bytes go to a temp file inside the
 * bucket's hidden temp dir (same filesystem), are fsynced, then renamed over the target in one step.
 * Several processes share the folder, so temp names are random and only stale temps are swept.
 */
export class AtomicWriter {
  private swept = false;

  constructor(private readonly root: string) {}

  get tempDir(): string {
    return path.join(this.root, TEMP_DIR_NAME);
  }

  /** Fills a fresh temp file with `fill` and moves it to `target` (`replaceFileAtomic`). */
  async write(target: string, fill: (tempFile: string) => Promise<void>): Promise<void> {
    await this.prepare();
    await replaceFileAtomic(target, fill, { tempDir: this.tempDir, beforeRename: (dir) => this.assertInsideRoot(dir) });
  }

  /** A folder symlinked out of the bucket must not let a key write outside it. */
  private async assertInsideRoot(dir: string): Promise<void> {
    const [realRoot, realDir] = await Promise.all([fs.realpath(this.root), fs.realpath(dir)]);
    if (realDir !== realRoot && !realDir.startsWith(realRoot + path.sep)) {
      throw new RelabelError('STORE_INVALID_KEY', `Object key leads outside the bucket folder (through a symlink): ${path.relative(this.root, dir)}`);
    }
  }

  private async prepare(): Promise<void> {
    await fs.mkdir(this.tempDir, { recursive: true });
    if (this.swept) return;
    this.swept = true;
    await this.sweepStale();
  }

  private async sweepStale(): Promise<void> {
    const now = Date.now();
    for (const name of await fs.readdir(this.tempDir).catch(() => [] as string[])) {
      const file = path.join(this.tempDir, name);
      const st = await fs.stat(file).catch(() => null);
      if (st && now - st.mtimeMs > STALE_TEMP_MS) await fs.rm(file, { force: true, recursive: true });
    }
  }
}
