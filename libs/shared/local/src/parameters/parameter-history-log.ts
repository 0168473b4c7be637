import { promises as fs } from 'fs';
import type { ParameterChange, ParameterHistoryPage, Logger } from '@relabel/ports';
import { readFileIfExists } from '../fs/atomic-file';

/** A history line: the port's change plus a sequence number that serves as the page cursor. */
export interface HistoryRecord extends ParameterChange {
  seq: number;
}

/**
 * The audit log: one JSON line per change, append-only (O_APPEND), next to the parameter file.
 * Appends happen under the parameter file lock, so sequence numbers are unique.
 */
export class ParameterHistoryLog {
  constructor(
    private readonly file: string,
    private readonly logger: Logger,
  ) {}

  async readAll(): Promise<HistoryRecord[]> {
    const text = await readFileIfExists(this.file);
    if (!text) return [];
    const out: HistoryRecord[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const rec = JSON.parse(line) as HistoryRecord;
        if (typeof rec.seq === 'number' && typeof rec.name === 'string') out.push(rec);
      } catch {
        // a line torn by a crash mid-append is the only way to get here; the rest stays readable
        this.logger.warn({ file: this.file }, 'skipping an unreadable parameter history line');
      }
    }
    return out;
  }

  /** The newest record per name. */
  async heads(): Promise<Map<string, HistoryRecord>> {
    const heads = new Map<string, HistoryRecord>();
    for (const rec of await this.readAll()) {
      const prev = heads.get(rec.name);
      if (!prev || rec.seq > prev.seq) heads.set(rec.name, rec);
    }
    return heads;
  }

  /** Caller holds the parameter file lock. */
  async append(changes: ParameterChange[]): Promise<HistoryRecord[]> {
    if (changes.length === 0) return [];
    const all = await this.readAll();
    let seq = all.reduce((max, r) => Math.max(max, r.seq), 0);
    const records = changes.map((c) => ({ seq: ++seq, ...c }));
    await fs.appendFile(this.file, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    return records;
  }

  async page(options: { name?: string; cursor?: string; limit?: number } = {}): Promise<ParameterHistoryPage> {
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
    const below = options.cursor !== undefined && /^\d+$/.test(options.cursor) ? Number(options.cursor) : Infinity;
    const matching = (await this.readAll())
      .filter((r) => r.seq < below && (options.name === undefined || r.name === options.name))
      .sort((a, b) => b.seq - a.seq);
    const items = matching.slice(0, limit);
    const last = items[items.length - 1];
    const nextCursor = matching.length > limit && last ? String(last.seq) : undefined;
    return { items: items.map(({ seq: _seq, ...change }) => change), nextCursor };
  }
}
