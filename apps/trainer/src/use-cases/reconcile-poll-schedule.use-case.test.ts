import type { PollScheduler } from '../infra/poll-scheduler';
import { reconcilePollSchedule } from './reconcile-poll-schedule.use-case';

function fakeScheduler() {
  const s = { every: null as number | null, firstAt: null as Date | null, calls: 0 };
  const scheduler: PollScheduler = {
    currentEveryMs: async () => s.every,
    upsert: async (every, firstAt) => {
      s.every = every;
      s.firstAt = firstAt;
      s.calls += 1;
    },
    remove: async () => {
      s.every = null;
      s.calls += 1;
    },
  };
  return { s, scheduler };
}

const now = new Date('2026-01-01T00:00:00Z');
const on = (minutes: number) => ({ 'Enable-Automatic-Training': true, 'Automatic-Training-Poll-Frequency': minutes });
const off = (minutes: number) => ({ 'Enable-Automatic-Training': false, 'Automatic-Training-Poll-Frequency': minutes });

describe('reconcilePollSchedule', () => {
  it('creates the schedule with its first poll one interval away (no immediate training)', async () => {
    const { s, scheduler } = fakeScheduler();
    expect(await reconcilePollSchedule({ scheduler, clock: () => now }, on(600))).toBe('created');
    expect(s.every).toBe(600 * 60_000);
    expect(s.firstAt!.getTime() - now.getTime()).toBe(600 * 60_000);
  });

  it('leaves an unchanged schedule alone and re-times a changed one', async () => {
    const { s, scheduler } = fakeScheduler();
    await reconcilePollSchedule({ scheduler, clock: () => now }, on(5));
    expect(await reconcilePollSchedule({ scheduler, clock: () => now }, on(5))).toBe('unchanged');
    expect(s.calls).toBe(1);
    expect(await reconcilePollSchedule({ scheduler, clock: () => now }, on(7))).toBe('retimed');
    expect(s.every).toBe(7 * 60_000);
  });

  it('removes it when disabled, and re-timing while disabled does not bring it back', async () => {
    const { s, scheduler } = fakeScheduler();
    await reconcilePollSchedule({ scheduler, clock: () => now }, on(5));
    expect(await reconcilePollSchedule({ scheduler, clock: () => now }, off(5))).toBe('removed');
    expect(await reconcilePollSchedule({ scheduler, clock: () => now }, off(9))).toBe('absent');
    expect(s.every).toBeNull();
  });
});
