import * as path from 'path';
import { RelabelError } from '@relabel/contracts';

/**
 * Hidden directory inside the bucket folder that holds half-written objects. It must live on the
 * same filesystem as the objects so the final `rename` is atomic, and it is never listed.
 */
export const TEMP_DIR_NAME = '.relabel-tmp';

/** S3's limit on key length (UTF-8 bytes); a segment is also a file name, limited to 255 bytes. */
const MAX_KEY_BYTES = 1024;
const MAX_SEGMENT_BYTES = 255;

function invalid(key: string, reason: string): RelabelError {
  return new RelabelError('STORE_INVALID_KEY', `Object key ${JSON.stringify(key)} is not allowed: ${reason}`, { key, reason });
}

function checkSegments(key: string, segments: string[]): void {
  for (const segment of segments) {
    if (segment === '') throw invalid(key, 'empty path segment');
    if (segment === '.' || segment === '..') throw invalid(key, `"${segment}" segment`);
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) throw invalid(key, `a segment is over ${MAX_SEGMENT_BYTES} bytes`);
  }
}

function checkCharacters(key: string): void {
  if (key.includes('\u0000')) throw invalid(key, 'NUL character');
  if (key.includes('\\')) throw invalid(key, 'backslash');
  if (key.startsWith('/')) throw invalid(key, 'absolute path');
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw invalid(key, `over ${MAX_KEY_BYTES} bytes`);
}

/**
 * Refuses keys that could escape the bucket folder or cannot be a file path: empty, absolute,
 * `.`/`..` or empty segments, NUL, backslashes, over-long keys, and the store's own temp dir.
 */
export function assertValidKey(key: string): void {
  if (typeof key !== 'string' || key === '') throw invalid(String(key), 'empty key');
  checkCharacters(key);
  const segments = key.split('/');
  checkSegments(key, segments);
  if (segments[0] === TEMP_DIR_NAME) throw invalid(key, `"${TEMP_DIR_NAME}" is reserved`);
}

/**
 * A list prefix may end mid-name (`images/ca` matches `images/cat.jpg`), so only the complete
 * directory part is checked like a key; the unfinished last part must not smuggle `..` in either.
 */
export function splitPrefix(prefix: string): { dirSegments: string[]; namePrefix: string } {
  if (prefix === '') return { dirSegments: [], namePrefix: '' };
  checkCharacters(prefix);
  const segments = prefix.split('/');
  const namePrefix = segments.pop() ?? '';
  checkSegments(prefix, segments);
  if (namePrefix === '.' || namePrefix === '..') throw invalid(prefix, `"${namePrefix}" segment`);
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
