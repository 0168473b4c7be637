import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { objectCreatedJobId, type ObjectCreated } from '@relabel/contracts';
import { closeRedis, createRedis } from '../queues/redis';
import { testConfig } from '../testing';
import { requeueObjectCreated } from './requeue';

const event = (key: string): ObjectCreated => ({ bucket: 'b', key, size: 3, eTag: 'e'.repeat(32), eventTime: new Date(0).toISOString() });

describe('requeueObjectCreated', () => {
  const config = testConfig();
  const redis = createRedis(config.redisUrl);
  const queue = new Queue('requeue-test', { connection: redis, prefix: config.keyPrefix });
  afterAll(async () => {
    await queue.close();
    await closeRedis(redis);
    await config.cleanup();
  });

  it('queues a lost job under the inbox job id, and never doubles one still there', async () => {
    const e = event('images_for_detection/a.jpg');
    expect(await requeueObjectCreated(queue, e)).toBe('queued');
    expect(await requeueObjectCreated(queue, e)).toBe('exists');
    const job = await queue.getJob(objectCreatedJobId(e));
    expect(job?.data).toEqual(e);
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
  });

  it('retries a job that used up its attempts, not one refused as permanent', async () => {
    const transient = event('images_for_detection/transient.jpg');
    const permanent = event('images_for_detection/permanent.jpg');
    await queue.add('object-created', transient, { jobId: objectCreatedJobId(transient), attempts: 1 });
    await queue.add('object-created', permanent, { jobId: objectCreatedJobId(permanent), attempts: 3 });
    const workerConnection = createRedis(config.redisUrl, 'worker');
    const worker = new Worker(
      'requeue-test',
      async (job) => {
        if (job.data.key === permanent.key) throw new UnrecoverableError('bad payload');
        if (job.data.key === transient.key) throw new Error('store down');
      },
      { connection: workerConnection, prefix: config.keyPrefix },
    );
    const failed = async () => (await queue.getJobs(['failed'])).map((j) => j.data.key as string).sort();
    const deadline = Date.now() + 10_000;
    while ((await failed()).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await worker.close();
    await closeRedis(workerConnection);
    expect(await failed()).toEqual([permanent.key, transient.key].sort());

    expect(await requeueObjectCreated(queue, permanent)).toBe('exists');
    expect(await requeueObjectCreated(queue, transient)).toBe('retried');
    expect(await queue.getJobState(objectCreatedJobId(transient))).toBe('waiting');
    expect(await queue.getJobState(objectCreatedJobId(permanent))).toBe('failed');
  });
});
