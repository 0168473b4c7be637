import * as path from 'path';
import { assertValidObjectKey, RelabelError } from '@relabel/contracts';

/**
 * Hidden directory inside the bucket folder that holds half-written objects. It must live on the
 * same filesystem as the objects so the final `rename` is atomic, and it is never listed.
 */
export const TEMP_DIR_NAME = '.relabel-tmp';

/** A segment is also a file name, which filesystems limit to 255 bytes. */
const MAX_SEGMENT_BYTES = 255;

function invalid(key: string, reason: string): RelabelError {
  return new RelabelError('STORE_INVALID_KEY', `Object key ${JSON.stringify(key)} is not allowed: ${reason}`, { key, reason });
}

/**
 * The keys of every store (contracts), plus what a folder adds: no segment over 255 bytes, and the
 * store's own temp dir is not a key.
 */
export function assertValidKey(key: string): void {
  assertValidObjectKey(key);
  const segments = key.split('/');
  if (segments.some((s) => Buffer.byteLength(s) > MAX_SEGMENT_BYTES)) throw invalid(key, `a segment is over ${MAX_SEGMENT_BYTES} bytes`);
  if (segments[0] === TEMP_DIR_NAME) throw invalid(key, `"${TEMP_DIR_NAME}" is reserved`);
}

/** `assertValidKey` as a test: files whose path is no valid key are not objects (listing skips them). */
export function isValidKey(key: string): boolean {
  try {
    assertValidKey(key);
    return true;
  } catch {
    return false;
  }
}

/** A file or directory that vanished between listing and reading (or a file where a directory was). */
export function isGoneError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * A list prefix may end mid-name (`images/ca` matches `images/cat.jpg`), so only the complete
 * directory part is checked like a key; the unfinished last part must not smuggle `..` in either.
 */
export function splitPrefix(prefix: string): { dirSegments: string[]; namePrefix: string } {
  if (prefix === '') return { dirSegments: [], namePrefix: '' };
  const segments = prefix.split('/');
  const namePrefix = segments.pop() ?? '';
  if (segments.length > 0) assertValidKey(segments.join('/'));
  if (prefix.startsWith('/')) throw invalid(prefix, 'absolute path');
  if (namePrefix === '.' || namePrefix === '..' || namePrefix.includes('\\') || namePrefix.includes('\u0000')) throw invalid(prefix, 'not a valid key prefix');
  return { dirSegments: segments, namePrefix };
}

/** The file behind a key; callers validate first, and the containment check is a second guard. */
export function keyToPath(root: string, key: string): string {
  assertValidKey(key);
  const resolvedRoot = path.resolve(root);
  const full = path.resolve(resolvedRoot, ...key.split('/'));
  if (!full.startsWith(resolvedRoot + path.sep)) throw invalid(key, 'outside the bucket');
  return full;
}

/** S3 orders keys by their UTF-8 bytes, which differs from JS string order for astral characters. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
