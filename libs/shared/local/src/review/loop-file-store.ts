import { appendFile, mkdir, readdir, readFile, unlink, writeFile } from 'fs/promises';
import { join } from 'path';
import { isValid, isValidHumanLoopName, RelabelError } from '@relabel/contracts';
import { HUMAN_LOOP_STATUSES, type HumanLoopStatus, type Logger } from '@relabel/ports';
import { writeFileAtomic } from '../fs/atomic-file';
import { withFileLock } from '../fs/file-lock';
import { LoopRecord, LoopRecordSchema } from './loop-record';

/**
 * Durable loop storage shared by processes through the filesystem:
 * - `loops/<name>.json` — the record, replaced atomically (temp file + fsync + rename);
 * - `status/<status>/<name>` — empty index markers, so the pending queue is read without scanning
 *   every loop ever made (the record is the truth; a stale marker is skipped and removed);
 * - `locks/<name>.lock` — serialises read-modify-write of one loop across processes;
 * - `answers/<YYYY-MM-DD>.jsonl` — one line per submitted answer, for "done today".
 */
export class LoopFileStore {
  private ready: Promise<void> | null = null;

  constructor(
    private readonly dir: string,
    private readonly logger: Logger,
  ) {}

  private init(): Promise<void> {
    this.ready ??= (async () => {
      for (const sub of ['loops', 'locks', 'tmp', 'answers', ...HUMAN_LOOP_STATUSES.map((s) => join('status', s))]) {
        await mkdir(join(this.dir, sub), { recursive: true });
      }
    })();
    return this.ready;
  }

  async read(name: string): Promise<LoopRecord | null> {
    // names become file names: anything that is not an A2I loop name cannot exist here
    if (!isValidHumanLoopName(name)) return null;
    await this.init();
    let text: string;
    try {
      text = await readFile(join(this.dir, 'loops', `${name}.json`), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    try {
      const record: unknown = JSON.parse(text);
      if (isValid(LoopRecordSchema, record)) return record;
    } catch {
      // reported below
    }
    this.logger.error({ loop: name }, 'unreadable human loop record; it is left in place and ignored');
    return null;
  }

  /** Persists `next`; moves the status marker when the status changed (new marker first). */
  async write(next: LoopRecord, previousStatus: HumanLoopStatus | null): Promise<void> {
    await this.init();
    await writeFile(this.markerPath(next.status, next.name), '');
    await writeFileAtomic(join(this.dir, 'loops', `${next.name}.json`), JSON.stringify(next, null, 1), { tempDir: join(this.dir, 'tmp') });
    if (previousStatus && previousStatus !== next.status) await this.removeMarker(previousStatus, next.name);
  }

  async withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    if (!isValidHumanLoopName(name)) throw new RelabelError('REVIEW_LOOP_NOT_FOUND', `no human loop named ${JSON.stringify(name).slice(0, 80)}`);
    await this.init();
    return withFileLock(join(this.dir, 'locks', `${name}.lock`), fn, {
      timeoutError: (lock) => new RelabelError('DEPENDENCY_UNAVAILABLE', `timed out waiting for the review lock ${lock}`),
    });
  }

  /** Names with a `status` marker (or every loop when no status), sorted. */
  async names(status?: HumanLoopStatus): Promise<string[]> {
    await this.init();
    if (!status) {
      const files = await readdir(join(this.dir, 'loops'));
      return files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
    }
    return (await readdir(join(this.dir, 'status', status))).sort();
  }

  /** Records behind the `status` markers, removing markers whose record moved on. */
  async readByStatus(status: HumanLoopStatus, names?: string[]): Promise<LoopRecord[]> {
    const records = await Promise.all((names ?? (await this.names(status))).map((n) => this.read(n)));
    const out: LoopRecord[] = [];
    for (const record of records) {
      if (!record) continue;
      if (record.status === status) out.push(record);
      else await this.removeMarker(status, record.name);
    }
    return out;
  }

  async appendAnswerLog(entry: { reviewerId: string; loop: string; label: string; at: Date }): Promise<void> {
    await this.init();
    const line = JSON.stringify({ reviewerId: entry.reviewerId, loop: entry.loop, label: entry.label, at: entry.at.toISOString() });
    await appendFile(this.answerLogPath(entry.at), `${line}\n`);
  }

  /** Answers logged on the UTC day of `at`: all, and by `reviewerId`. */
  async answersOn(at: Date, reviewerId: string): Promise<{ all: number; byReviewer: number }> {
    await this.init();
    let text = '';
    try {
      text = await readFile(this.answerLogPath(at), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    let all = 0;
    let byReviewer = 0;
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const entry = JSON.parse(line) as { reviewerId?: unknown };
        all++;
        if (entry.reviewerId === reviewerId) byReviewer++;
      } catch {
        // a torn line from a crash mid-append is not an answer
      }
    }
    return { all, byReviewer };
  }

  private answerLogPath(at: Date): string {
    return join(this.dir, 'answers', `${at.toISOString().slice(0, 10)}.jsonl`);
  }

  private markerPath(status: HumanLoopStatus, name: string): string {
    return join(this.dir, 'status', status, name);
  }

  private async removeMarker(status: HumanLoopStatus, name: string): Promise<void> {
    await unlink(this.markerPath(status, name)).catch(() => undefined);
  }
}
