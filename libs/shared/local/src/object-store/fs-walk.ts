import { promises as fs, type Dirent, type Stats } from 'fs';
import * as path from 'path';
import { compareKeys, isGoneError, isValidKey, splitPrefix, TEMP_DIR_NAME } from './object-key';

export interface WalkedFile {
  key: string;
  file: string;
  stats: Stats;
}

type Entry = { name: string; isDir: boolean; sortKey: string };

async function readEntries(dir: string): Promise<Dirent[]> {
  try {
    return await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (isGoneError(err)) return [];
    throw err;
  }
}

/**
 * Sorts a directory's entries so that a depth-first walk yields keys in S3 (UTF-8 byte) order: a
 * directory `a` sorts as `a/`, after a sibling `a-b` and before `a0`. Symlinked directories are not
 * followed (no loops); names that cannot be keys (e.g. with a backslash) are left out.
 */
function orderEntries(dirents: Dirent[], keyBase: string, namePrefix: string, atRoot: boolean): Entry[] {
  const entries: Entry[] = [];
  for (const d of dirents) {
    if (!d.name.startsWith(namePrefix)) continue;
    if (atRoot && d.name === TEMP_DIR_NAME) continue;
    const isDir = d.isDirectory();
    if (!isDir && !d.isFile() && !d.isSymbolicLink()) continue;
    const sortKey = isDir ? `${keyBase}${d.name}/` : `${keyBase}${d.name}`;
    if (!isDir && !isValidKey(sortKey)) continue;
    entries.push({ name: d.name, isDir, sortKey });
  }
  return entries.sort((a, b) => compareKeys(a.sortKey, b.sortKey));
}

/** Every key inside directory key `dirKey` is below `after` — the whole subtree can be skipped. */
function subtreeBefore(dirKey: string, after: string | undefined): boolean {
  return after !== undefined && !after.startsWith(dirKey) && compareKeys(dirKey, after) < 0;
}

async function* walkDir(dir: string, keyBase: string, namePrefix: string, after: string | undefined): AsyncGenerator<WalkedFile> {
  const entries = orderEntries(await readEntries(dir), keyBase, namePrefix, keyBase === '');
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDir) {
      if (!subtreeBefore(entry.sortKey, after)) yield* walkDir(full, entry.sortKey, '', after);
      continue;
    }
    if (after !== undefined && compareKeys(entry.sortKey, after) <= 0) continue;
    const stats = await fs.stat(full).catch((err: unknown) => {
      if (isGoneError(err)) return null;
      throw err;
    });
    if (stats?.isFile()) yield { key: entry.sortKey, file: full, stats };
  }
}

/** Files under `root` whose key starts with `prefix` and sorts after `after`, in key order. */
export function walkSorted(root: string, prefix: string, after?: string): AsyncGenerator<WalkedFile> {
  const { dirSegments, namePrefix } = splitPrefix(prefix);
  if (dirSegments[0] === TEMP_DIR_NAME) return (async function* () {})();
  const keyBase = dirSegments.length > 0 ? `${dirSegments.join('/')}/` : '';
  return walkDir(path.join(root, ...dirSegments), keyBase, namePrefix, after);
}
