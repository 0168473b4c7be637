import { RestartBudget } from '../../scripts/start/restart-budget';

const MIN = 60_000;
const budget = () => new RestartBudget({ max: 5, windowMs: 10 * MIN, baseDelayMs: 2000, maxDelayMs: 30_000 });

describe('the npm start restart budget', () => {
  it('backs off exponentially inside a window, capped', () => {
    const b = budget();
    const delays = [0, 1, 2, 3, 4].map((i) => b.onExit(i * 1000).delayMs);
    expect(delays).toEqual([2000, 4000, 8000, 16_000, 30_000]);
  });

  it('counts exits per window, not per lifetime: a crash a day restarts at once for ever', () => {
    const b = budget();
    for (let day = 0; day < 30; day++) expect(b.onExit(day * 24 * 60 * MIN)).toEqual({ delayMs: 2000, recent: 1, throttled: false });
  });

  it('waits out the window when the budget is spent, then goes on', () => {
    const b = budget();
    for (let i = 0; i < 5; i++) expect(b.onExit(i * MIN).throttled).toBe(false);
    // 6th exit at minute 5: the first exit (minute 0) leaves the window at minute 10
    expect(b.onExit(5 * MIN)).toEqual({ delayMs: 5 * MIN, recent: 6, throttled: true });
    // after the window has room again, restarts resume
    expect(b.onExit(17 * MIN)).toMatchObject({ recent: 1, throttled: false });
  });
});
