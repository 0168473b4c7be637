import { promises as fs, type Stats } from 'fs';
import * as path from 'path';
import { isGoneError, isValidKey, splitPrefix } from '../object-store/object-key';

export interface ScannedFile {
  file: string;
  stats: Stats;
}

export interface ScanResult {
  /** Every file key under the prefixes (addressable, not hidden). */
  present: Set<string>;
  /** Stats of the files that were full-scanned or that `needsStat` asked about. */
  stats: Map<string, ScannedFile>;
  /** Problems other than "gone"; a scan with problems must not be read as "these files vanished". */
  problems: string[];
}

interface DirListing {
  mtimeMs: number;
  readAt: number;
  files: string[];
  dirs: string[];
}

/**
 * A directory whose mtime is this recent is re-read every scan: mtimes are coarse (a jiffy on ext4,
 * a second elsewhere), so an entry created right after we read it could leave the mtime unchanged.
 */
const HOT_DIR_MS = 2000;

/**
 * Finds the files under some key prefixes of the bucket folder, cheaply enough to run twice a
 * second over many thousands of files: a directory is re-read only when its mtime moved (or is
 * recent), and only files the caller is still interested in are stat'ed, except on a full scan.
 * Dot-files and dot-folders (our temp dir, rsync/editor temp files) are never reported.
 */
export class TreeScanner {
  private readonly listings = new Map<string, DirListing>();
  private readonly roots: { dir: string; keyBase: string; namePrefix: string }[];

  constructor(root: string, prefixes: string[]) {
    this.roots = prefixes.map((prefix) => {
      const { dirSegments, namePrefix } = splitPrefix(prefix);
      const keyBase = dirSegments.length > 0 ? `${dirSegments.join('/')}/` : '';
      return { dir: path.join(path.resolve(root), ...dirSegments), keyBase, namePrefix };
    });
  }

  async scan(full: boolean, needsStat: (key: string) => boolean): Promise<ScanResult> {
    const result: ScanResult = { present: new Set(), stats: new Map(), problems: [] };
    for (const r of this.roots) {
      if (r.keyBase.split('/').some((s) => s.startsWith('.'))) continue;
      await this.visit(r.dir, r.keyBase, r.namePrefix, { full, needsStat, result });
    }
    return result;
  }

  private async visit(dir: string, keyBase: string, namePrefix: string, ctx: { full: boolean; needsStat: (key: string) => boolean; result: ScanResult }): Promise<void> {
    const listing = await this.listing(dir, ctx.full, ctx.result.problems);
    if (!listing) return;
    for (const name of listing.files) {
      const key = `${keyBase}${name}`;
      if (!name.startsWith(namePrefix) || !isValidKey(key)) continue;
      if (!ctx.full && !ctx.needsStat(key)) {
        ctx.result.present.add(key);
        continue;
      }
      const file = path.join(dir, name);
      try {
        const stats = await fs.stat(file);
        if (!stats.isFile()) continue;
        ctx.result.present.add(key);
        ctx.result.stats.set(key, { file, stats });
      } catch (err) {
        if (!isGoneError(err)) ctx.result.problems.push(`${file}: ${(err as Error).message}`);
      }
    }
    for (const name of listing.dirs) {
      if (name.startsWith(namePrefix)) await this.visit(path.join(dir, name), `${keyBase}${name}/`, '', ctx);
    }
  }

  /** Stat before readdir: an entry added in between is seen now and moves the mtime for next time. */
  private async listing(dir: string, full: boolean, problems: string[]): Promise<DirListing | null> {
    try {
      const st = await fs.stat(dir);
      if (!st.isDirectory()) return null;
      const cached = this.listings.get(dir);
      if (!full && cached && cached.mtimeMs === st.mtimeMs && cached.readAt - st.mtimeMs >= HOT_DIR_MS) return cached;
      const readAt = Date.now();
      const dirents = await fs.readdir(dir, { withFileTypes: true });
      const visible = dirents.filter((d) => !d.name.startsWith('.'));
      const listing: DirListing = {
        mtimeMs: st.mtimeMs,
        readAt,
        files: visible.filter((d) => d.isFile() || d.isSymbolicLink()).map((d) => d.name),
        dirs: visible.filter((d) => d.isDirectory()).map((d) => d.name),
      };
      this.listings.set(dir, listing);
      return listing;
    } catch (err) {
      if (isGoneError(err)) this.forget(dir);
      else problems.push(`${dir}: ${(err as Error).message}`);
      return null;
    }
  }

  private forget(dir: string): void {
    for (const cached of [...this.listings.keys()]) if (cached === dir || cached.startsWith(dir + path.sep)) this.listings.delete(cached);
  }
}
