import { randomBytes } from 'crypto';
import IORedis from 'ioredis';
import { Queue } from 'bullmq';
import { QUEUES, TRAINING_POLL_SCHEDULER_ID } from '@relabel/contracts';
import { cleanupRedisPrefix, TEST_REDIS_URL } from '@relabel/platform/testing';
import { reconcilePollSchedule } from '../use-cases/reconcile-poll-schedule.use-case';
import { bullPollScheduler } from './poll-scheduler';

jest.setTimeout(20_000);

describe('training poll schedule on a real BullMQ queue', () => {
  const prefix = `trsched${randomBytes(4).toString('hex')}`;
  const connection = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(QUEUES.training, { connection, prefix });
  const deps = { scheduler: bullPollScheduler({ queue }), clock: () => new Date() };
  const params = (enabled: boolean, minutes: number) => ({ 'Enable-Automatic-Training': enabled, 'Automatic-Training-Poll-Frequency': minutes });

  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await cleanupRedisPrefix(prefix);
    connection.disconnect();
  });

  const delayedPolls = async () => (await queue.getDelayed()).filter((j) => j.name === 'poll');

  it('enables with the first poll one interval away, re-times, disables, and is not re-enabled by re-timing', async () => {
    const before = Date.now();
    expect(await reconcilePollSchedule(deps, params(true, 10))).toBe('created');
    expect((await queue.getJobScheduler(TRAINING_POLL_SCHEDULER_ID))?.every).toBe(600_000);
    expect(await queue.getWaitingCount()).toBe(0);
    let [next] = await delayedPolls();
    expect(next!.timestamp + next!.delay).toBeGreaterThanOrEqual(before + 600_000);

    expect(await reconcilePollSchedule(deps, params(true, 10))).toBe('unchanged');
    expect(await delayedPolls()).toHaveLength(1);

    expect(await reconcilePollSchedule(deps, params(true, 3))).toBe('retimed');
    expect((await queue.getJobScheduler(TRAINING_POLL_SCHEDULER_ID))?.every).toBe(180_000);
    const polls = await delayedPolls();
    expect(polls).toHaveLength(1);
    next = polls[0];
    expect(next!.timestamp + next!.delay).toBeLessThan(before + 600_000);
    expect(await queue.getWaitingCount()).toBe(0);

    expect(await reconcilePollSchedule(deps, params(false, 3))).toBe('removed');
    expect(await queue.getJobScheduler(TRAINING_POLL_SCHEDULER_ID)).toBeUndefined();
    expect(await reconcilePollSchedule(deps, params(false, 42))).toBe('absent');
    expect(await queue.getJobScheduler(TRAINING_POLL_SCHEDULER_ID)).toBeUndefined();
    expect(await delayedPolls()).toHaveLength(0);

    expect(await reconcilePollSchedule(deps, params(true, 42))).toBe('created');
    expect(await queue.getWaitingCount()).toBe(0);
  });
});
