import { promises as fs, type Stats } from 'fs';
import * as path from 'path';
import type { Logger } from '@relabel/ports';
import { writeFileAtomic } from '../fs/atomic-file';

/** One delivered content version; the stat fields let a restart skip re-hashing unchanged files. */
export interface LedgerEntry {
  key: string;
  eTag: string;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

/** Same inode, size, mtime and ctime as when delivered (ctime catches `cp -p` over the file). */
export function sameFile(entry: LedgerEntry, st: Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino'>): boolean {
  return entry.size === st.size && entry.mtimeMs === st.mtimeMs && entry.ctimeMs === st.ctimeMs && entry.ino === st.ino;
}

function parseLine(line: string): LedgerEntry | null {
  try {
    const v = JSON.parse(line) as Partial<LedgerEntry>;
    const ok = typeof v.key === 'string' && typeof v.eTag === 'string';
    // a line without usable stat fields still says "delivered"; the file is just re-hashed once
    return ok ? { key: v.key!, eTag: v.eTag!, size: v.size ?? -1, mtimeMs: v.mtimeMs ?? -1, ctimeMs: v.ctimeMs ?? -1, ino: v.ino ?? -1 } : null;
  } catch {
    return null;
  }
}

const toLine = (e: LedgerEntry) => `${JSON.stringify({ key: e.key, eTag: e.eTag, size: e.size, mtimeMs: e.mtimeMs, ctimeMs: e.ctimeMs, ino: e.ino })}\n`;

/**
 * What the inbox has delivered: an append-only JSONL file, one line per (key, eTag) written only
 * after the handler resolved; the last line for a key wins. A crash can lose at most the lines not
 * yet written, which means a re-delivery (at-least-once), never a lost event. A torn last line from
 * a crash is skipped when loading. Lines are not fsynced one by one: a lost line costs a duplicate.
 */
export class DeliveryLedger {
  private readonly entries = new Map<string, LedgerEntry>();
  private handle: fs.FileHandle | null = null;
  private appending: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly logger: Logger,
  ) {}

  static async open(file: string, logger: Logger): Promise<DeliveryLedger> {
    const ledger = new DeliveryLedger(file, logger);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await ledger.load();
    ledger.handle = await fs.open(file, 'a');
    return ledger;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): LedgerEntry | undefined {
    return this.entries.get(key);
  }

  /** Appends after delivery; appends are serialised so concurrent deliveries never interleave. */
  record(entry: LedgerEntry): Promise<void> {
    const write = this.appending.then(async () => {
      if (!this.handle) throw new Error(`Delivery ledger ${this.file} is closed`);
      await this.handle.appendFile(toLine(entry));
      this.entries.set(entry.key, entry);
    });
    this.appending = write.catch(() => undefined);
    return write;
  }

  /** Rewrites the file with one line per key that `keep` accepts (`writeFileAtomic`). */
  async compact(keep: (key: string) => boolean): Promise<void> {
    await this.appending;
    for (const key of [...this.entries.keys()]) if (!keep(key)) this.entries.delete(key);
    await this.handle?.close();
    this.handle = null;
    try {
      await writeFileAtomic(this.file, [...this.entries.values()].map(toLine).join(''));
    } finally {
      this.handle = await fs.open(this.file, 'a');
    }
  }

  async close(): Promise<void> {
    await this.appending;
    await this.handle?.close();
    this.handle = null;
  }

  private async load(): Promise<void> {
    const text = await fs.readFile(this.file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
    let skipped = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const entry = parseLine(line);
      if (entry) this.entries.set(entry.key, entry);
      else skipped += 1;
    }
    if (skipped > 0) this.logger.warn({ ledger: this.file, skipped }, 'skipped unreadable delivery-ledger lines (their files will be delivered again)');
  }
}
