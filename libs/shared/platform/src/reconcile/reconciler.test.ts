import { silentLogger } from '@relabel/ports';
import { Reconciler, ReconcileReason } from './reconciler';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Reconciler', () => {
  it('runs every task at start and again on a trigger, with the reason', async () => {
    const seen: string[] = [];
    const r = new Reconciler(silentLogger, { intervalMs: 3_600_000, deferMs: 3_600_000 });
    r.add('a', async (reason) => (seen.push(`a:${reason}`), { pending: 0 }));
    r.add('b', async (reason) => (seen.push(`b:${reason}`), { pending: 1 }));
    await r.start();
    await r.trigger('redis-reset');
    await r.stop();
    expect(seen).toEqual(['a:start', 'b:start', 'a:redis-reset', 'b:redis-reset']);
  });

  it('never overlaps runs: triggers during a run make exactly one more run after it', async () => {
    const gate = deferred();
    const reasons: ReconcileReason[] = [];
    let active = 0;
    let maxActive = 0;
    const r = new Reconciler(silentLogger, { intervalMs: 3_600_000, deferMs: 3_600_000 });
    r.add('slow', async (reason) => {
      reasons.push(reason);
      active += 1;
      maxActive = Math.max(maxActive, active);
      if (reasons.length === 1) await gate.promise;
      active -= 1;
      return { pending: 0 };
    });
    const first = r.trigger('start');
    void r.trigger('redis-reset');
    void r.trigger('reconnect');
    gate.resolve();
    await first;
    while (reasons.length < 2) await new Promise((res) => setImmediate(res));
    await r.stop();
    expect(reasons).toEqual(['start', 'redis-reset']);
    expect(maxActive).toBe(1);
  });

  it('keeps going when a task fails, and refuses two tasks of one name', async () => {
    const seen: string[] = [];
    const r = new Reconciler(silentLogger, { intervalMs: 3_600_000, deferMs: 3_600_000 });
    r.add('broken', async () => {
      throw new Error('store down');
    });
    r.add('fine', async () => (seen.push('fine'), { pending: 0 }));
    expect(() => r.add('fine', async () => ({ pending: 0 }))).toThrow('already registered');
    await r.trigger('sweep');
    await r.stop();
    expect(seen).toEqual(['fine']);
  });

  it('looks again after deferMs when a task deferred young items', async () => {
    const reasons: ReconcileReason[] = [];
    const r = new Reconciler(silentLogger, { intervalMs: 3_600_000, deferMs: 20 });
    r.add('young', async (reason) => {
      reasons.push(reason);
      return { pending: 0, deferred: reasons.length === 1 ? 3 : 0 };
    });
    await r.trigger('start');
    while (reasons.length < 2) await new Promise((res) => setTimeout(res, 5));
    await r.stop();
    expect(reasons).toEqual(['start', 'deferred']);
  });
});
