import { promises as fs, type Stats } from 'fs';
import * as path from 'path';
import { RelabelError } from '@relabel/contracts';
import type { ListPage, ObjectInfo, ObjectStore, StoredObject } from '@relabel/ports';
import { AtomicWriter } from './atomic-write';
import { EtagCache, md5File, md5Hex } from './etag';
import { walkSorted } from './fs-walk';
import { assertValidKey, keyToPath, splitPrefix } from './object-key';

export interface FsObjectStoreOptions {
  /** The bucket folder (`$RELABEL_DATA_DIR/bucket/`); its relative paths are the object keys. */
  root: string;
  /** Bucket name reported in events. */
  bucket: string;
}

const DEFAULT_LIMIT = 1000;

function errCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

const MISSING = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

/** Translates filesystem errors into the store's codes; RelabelErrors pass through. */
function storeError(err: unknown, key: string, op: string): Error {
  if (err instanceof RelabelError) return err;
  const code = errCode(err);
  if (code === 'ENAMETOOLONG') return new RelabelError('STORE_INVALID_KEY', `Object key is too long for the filesystem: ${key}`, { key }, { cause: err });
  return new RelabelError('STORE_UNAVAILABLE', `Local object store ${op} failed for ${key} (${code ?? 'error'})`, { key, op }, { cause: err });
}

/** A folder can't hold both a file `a` and a file `a/b`, which S3 allows: refuse it clearly. */
function writeError(err: unknown, key: string): Error {
  const code = errCode(err);
  if (code === 'ENOTDIR' || code === 'EISDIR' || code === 'EEXIST') {
    return new RelabelError('STORE_INVALID_KEY', `Object key ${key} conflicts with an existing object or folder`, { key }, { cause: err });
  }
  return storeError(err, key, 'put');
}

function notFound(key: string): RelabelError {
  return new RelabelError('STORE_NOT_FOUND', `No object with key ${key}`, { key });
}

/**
 * The local-profile object store: a plain folder whose relative paths are the keys, so users may
 * copy files in by hand. Puts and copies are atomic (temp file + fsync + rename); the ETag is the
 * MD5 of the content, computed on write, or on first read for files copied in by hand (cached).
 * Content types are not stored (a plain folder has nowhere to keep them).
 */
export function createFsObjectStore(opts: FsObjectStoreOptions): ObjectStore {
  const root = path.resolve(opts.root);
  const writer = new AtomicWriter(root);
  const etags = new EtagCache();

  async function statFile(file: string): Promise<Stats | null> {
    const st = await fs.stat(file).catch((err: unknown) => {
      if (MISSING.has(errCode(err) ?? '')) return null;
      throw err;
    });
    return st?.isFile() ? st : null;
  }

  async function info(key: string, file: string, st: Stats): Promise<ObjectInfo> {
    const eTag = await etags.eTagOf(file, st, () => fs.stat(file));
    return { key, size: st.size, eTag, lastModified: new Date(st.mtimeMs) };
  }

  async function writeAtomically(key: string, fill: (temp: string) => Promise<void>): Promise<{ eTag: string }> {
    const target = keyToPath(root, key);
    let eTag = '';
    try {
      await writer.write(target, async (temp) => {
        await fill(temp);
        eTag = await md5File(temp);
      });
      const st = await fs.stat(target);
      etags.remember(target, st, eTag);
      return { eTag };
    } catch (err) {
      throw writeError(err, key);
    }
  }

  return {
    bucket: opts.bucket,

    async put(key, body) {
      assertValidKey(key);
      if (!Buffer.isBuffer(body)) throw new RelabelError('REQUEST_INVALID', 'Object body must be a Buffer', { key });
      return writeAtomically(key, (temp) => fs.writeFile(temp, body, { flag: 'wx' }));
    },

    async get(key): Promise<StoredObject> {
      const file = keyToPath(root, key);
      try {
        const handle = await fs.open(file, 'r');
        try {
          const st = await handle.stat();
          if (!st.isFile()) throw notFound(key);
          const body = await handle.readFile();
          const eTag = md5Hex(body);
          if (body.length === st.size) etags.remember(file, st, eTag);
          return { key, size: body.length, eTag, lastModified: new Date(st.mtimeMs), body };
        } finally {
          await handle.close();
        }
      } catch (err) {
        if (MISSING.has(errCode(err) ?? '')) throw notFound(key);
        throw storeError(err, key, 'get');
      }
    },

    async head(key) {
      const file = keyToPath(root, key);
      try {
        const st = await statFile(file);
        return st ? await info(key, file, st) : null;
      } catch (err) {
        if (MISSING.has(errCode(err) ?? '')) return null;
        throw storeError(err, key, 'head');
      }
    },

    async list(prefix, options = {}): Promise<ListPage> {
      splitPrefix(prefix);
      const limit = options.limit ?? DEFAULT_LIMIT;
      if (!Number.isInteger(limit) || limit < 1) throw new RelabelError('REQUEST_INVALID', `List limit must be a positive integer, got ${limit}`);
      const items: ObjectInfo[] = [];
      try {
        for await (const walked of walkSorted(root, prefix, options.cursor)) {
          if (items.length === limit) return { items, nextCursor: items[items.length - 1]!.key };
          items.push(await info(walked.key, walked.file, walked.stats));
        }
      } catch (err) {
        throw storeError(err, prefix, 'list');
      }
      return { items };
    },

    async copy(sourceKey, destinationKey) {
      const source = keyToPath(root, sourceKey);
      assertValidKey(destinationKey);
      if (!(await statFile(source).catch(() => null))) throw notFound(sourceKey);
      try {
        return await writeAtomically(destinationKey, (temp) => fs.copyFile(source, temp));
      } catch (err) {
        if (errCode((err as { cause?: unknown }).cause) === 'ENOENT') throw notFound(sourceKey);
        throw err;
      }
    },

    async delete(key) {
      const file = keyToPath(root, key);
      etags.forget(file);
      try {
        await fs.unlink(file);
      } catch (err) {
        if (MISSING.has(errCode(err) ?? '')) return;
        throw storeError(err, key, 'delete');
      }
    },
  };
}
