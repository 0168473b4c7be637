import { createHash } from 'crypto';
import { createReadStream, type Stats } from 'fs';

/** MD5 hex of a buffer: the ETag S3 gives a simple (non-multipart) upload. */
export function md5Hex(body: Buffer): string {
  return createHash('md5').update(body).digest('hex');
}

/** MD5 hex of a file, streamed so large objects never sit in memory whole. */
export function md5File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('md5');
    createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** What identifies one version of a file's content without reading it. */
export function statSignature(st: Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino'>): string {
  return `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
}

/**
 * ETags of files keyed by their stat signature, so listing thousands of files that were copied in
 * by hand hashes each file once, not on every call. A rename (our atomic put) or any write changes
 * the inode or ctime, so a stale entry can never be served. Bounded: oldest entries go first.
 */
export class EtagCache {
  private readonly entries = new Map<string, { sig: string; eTag: string }>();

  constructor(private readonly maxEntries = 100_000) {}

  remember(file: string, st: Stats, eTag: string): void {
    this.entries.delete(file);
    this.entries.set(file, { sig: statSignature(st), eTag });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  forget(file: string): void {
    this.entries.delete(file);
  }

  /**
   * The ETag of `file` whose current stat is `st`. A file still being written while it is hashed
   * is hashed but not cached (its signature moved), so the next call sees the finished content.
   */
  async eTagOf(file: string, st: Stats, restat: () => Promise<Stats>): Promise<string> {
    const cached = this.entries.get(file);
    if (cached && cached.sig === statSignature(st)) return cached.eTag;
    const eTag = await md5File(file);
    const after = await restat();
    if (statSignature(after) === statSignature(st)) this.remember(file, st, eTag);
    return eTag;
  }
}
