import type { LoopFileStore } from './loop-file-store';

/**
 * The pending queue in review order (oldest first) without reading every loop on each claim: a
 * loop's creation time never changes, so it is learnt once per loop from its record and kept; the
 * mutable state (leases, answers, skips) is read afresh, candidate by candidate, until one can be
 * leased. Which task a reviewer holds is remembered per process so a reload gets the same task.
 */
export class PendingOrder {
  private readonly createdAt = new Map<string, string>();
  private readonly held = new Map<string, string>();

  constructor(private readonly files: LoopFileStore) {}

  /** Pending loop names, the reviewer's held task first, then by creation time and name. */
  async names(reviewerId: string): Promise<string[]> {
    const names = await this.files.names('pending');
    const present = new Set(names);
    for (const name of this.createdAt.keys()) if (!present.has(name)) this.createdAt.delete(name);
    const unknown = names.filter((n) => !this.createdAt.has(n));
    for (const record of await Promise.all(unknown.map((n) => this.files.read(n)))) {
      if (record) this.createdAt.set(record.name, record.createdAt);
    }
    const ordered = names
      .filter((n) => this.createdAt.has(n))
      .sort((a, b) => this.createdAt.get(a)!.localeCompare(this.createdAt.get(b)!) || a.localeCompare(b));
    const held = this.held.get(reviewerId);
    return held && present.has(held) ? [held, ...ordered.filter((n) => n !== held)] : ordered;
  }

  holds(reviewerId: string, name: string | null): void {
    if (name) this.held.set(reviewerId, name);
    else this.held.delete(reviewerId);
  }
}
