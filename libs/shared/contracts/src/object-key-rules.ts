import { RelabelError } from './errors';

/** S3's limit on a key's length, in UTF-8 bytes. */
export const MAX_OBJECT_KEY_BYTES = 1024;

function invalidKey(key: string, reason: string): RelabelError {
  return new RelabelError('STORE_INVALID_KEY', `Object key ${JSON.stringify(key)} is not allowed: ${reason}`, { key, reason });
}

/**
 * The keys every ObjectStore adapter accepts: `/`-separated relative paths with no empty, `.` or
 * `..` segment, no NUL, no backslash, at most 1024 bytes. S3 would take more, but a key must also be
 * a safe path in the local folder, and the same key has to work in both profiles.
 */
export function assertValidObjectKey(key: string): void {
  if (typeof key !== 'string' || key === '') throw invalidKey(String(key), 'empty key');
  if (key.includes('\u0000')) throw invalidKey(key, 'NUL character');
  if (key.includes('\\')) throw invalidKey(key, 'backslash');
  if (key.startsWith('/')) throw invalidKey(key, 'absolute path');
  if (Buffer.byteLength(key) > MAX_OBJECT_KEY_BYTES) throw invalidKey(key, `over ${MAX_OBJECT_KEY_BYTES} bytes`);
  for (const segment of key.split('/')) {
    if (segment === '') throw invalidKey(key, 'empty path segment');
    if (segment === '.' || segment === '..') throw invalidKey(key, `"${segment}" segment`);
  }
}
