import { InferenceLimiter } from './inference-limiter';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('InferenceLimiter', () => {
  it('runs at most `concurrency` tasks at once, in FIFO order', async () => {
    const limiter = new InferenceLimiter(2, 10);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    let peak = 0;
    const runs = gates.map((gate, i) =>
      limiter.run(async () => {
        started.push(i);
        peak = Math.max(peak, limiter.stats().active);
        await gate.promise;
        return i;
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    expect(limiter.stats()).toMatchObject({ active: 2, waiting: 2 });
    gates[1]!.resolve();
    await runs[1];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    gates.forEach((g) => g.resolve());
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(peak).toBe(2);
    expect(limiter.stats()).toEqual({ active: 0, waiting: 0, admitted: 0 });
  });

  it('frees the slot when a task throws', async () => {
    const limiter = new InferenceLimiter(1, 0);
    await expect(limiter.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limiter.run(async () => 'ok')).toBe('ok');
  });

  it('admits concurrency + maxQueued requests, then refuses', () => {
    const limiter = new InferenceLimiter(2, 1);
    const releases = [limiter.tryAdmit()!, limiter.tryAdmit()!, limiter.tryAdmit()!];
    expect(releases.every(Boolean)).toBe(true);
    expect(limiter.tryAdmit()).toBeNull();
    releases[0]!();
    releases[0]!();
    expect(limiter.stats().admitted).toBe(2);
    expect(limiter.tryAdmit()).not.toBeNull();
    expect(limiter.tryAdmit()).toBeNull();
  });
});
