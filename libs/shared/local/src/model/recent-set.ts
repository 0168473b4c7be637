/**
 * The `capacity` most recently touched keys. The inference pool and each of its workers keep one
 * each and touch it with the same keys in the same (message) order, so the pool knows which screens
 * a worker still holds without asking it.
 */
export class RecentSet<K> {
  private readonly keys = new Set<K>();

  constructor(private readonly capacity: number) {}

  /** Marks `key` as most recent; returns whether it was already held (else it is added, and the oldest dropped). */
  touch(key: K): boolean {
    const held = this.keys.delete(key);
    this.keys.add(key);
    if (this.keys.size > this.capacity) this.keys.delete(this.keys.values().next().value as K);
    return held;
  }

  has(key: K): boolean {
    return this.keys.has(key);
  }
}
