import type { Stats } from 'fs';
import { statSignature } from '../object-store/etag';

/** Retries of a failing handler back off up to this, so a broken consumer never becomes a hot loop. */
const MAX_RETRY_DELAY_MS = 30_000;

/**
 * Decides when a file is complete enough to deliver, and when a failed one may be tried again.
 * Complete means untouched for `stableForMs`: either its ctime/mtime are that old (ctime moves on
 * every write and cannot be set back, so `cp -p` or a slow copy is never mistaken for finished), or
 * we have watched the same size/mtime/ctime/inode for that long (covers clocks that disagree).
 */
export class StabilityTracker {
  private readonly watching = new Map<string, { sig: string; since: number }>();
  private readonly failures = new Map<string, { attempts: number; retryAt: number }>();

  constructor(
    private readonly stableForMs: number,
    private readonly retryBaseMs: number,
  ) {}

  isReady(key: string, stats: Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino'>, now: number): boolean {
    const failure = this.failures.get(key);
    if (failure && now < failure.retryAt) return false;
    const sig = statSignature(stats);
    let seen = this.watching.get(key);
    if (!seen || seen.sig !== sig) {
      seen = { sig, since: now };
      this.watching.set(key, seen);
    }
    const untouchedFor = now - Math.max(stats.mtimeMs, stats.ctimeMs);
    return untouchedFor >= this.stableForMs || now - seen.since >= this.stableForMs;
  }

  /** The file changed while we read it: start watching it afresh. */
  moved(key: string, sig: string): void {
    this.watching.set(key, { sig, since: Date.now() });
  }

  /** Records a failed attempt and answers how long until the next one. */
  failed(key: string): number {
    const attempts = (this.failures.get(key)?.attempts ?? 0) + 1;
    const delay = Math.min(MAX_RETRY_DELAY_MS, this.retryBaseMs * 2 ** (attempts - 1));
    this.failures.set(key, { attempts, retryAt: Date.now() + delay });
    return delay;
  }

  done(key: string): void {
    this.watching.delete(key);
    this.failures.delete(key);
  }

  /** Forgets files that are gone, so a later file under the same key starts from scratch. */
  retainOnly(present: Set<string>): void {
    for (const key of this.watching.keys()) if (!present.has(key)) this.watching.delete(key);
    for (const key of this.failures.keys()) if (!present.has(key)) this.failures.delete(key);
  }
}
