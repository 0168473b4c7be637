import { QueueEvents } from 'bullmq';
import { QUEUES, RelabelError } from '@relabel/contracts';
import { silentLogger, type Logger } from '@relabel/ports';
import { cleanupRedisPrefix, TEST_REDIS_URL } from '../testing';
import { closeRedis, createRedis } from './redis';
import { TypedQueue } from './typed-queue';
import { buildProcessor, delayJob, JobContext, JobHandlers, WorkerRegistry } from './worker-registry';

const event = { bucket: 'b', key: 'images_for_detection/a.jpg', size: 3, eTag: 'abc', eventTime: new Date().toISOString() };

describe('WorkerRegistry against real Redis', () => {
  let prefix = '';
  let seq = 0;
  const conn = createRedis(TEST_REDIS_URL, 'worker');
  let registry: WorkerRegistry;
  let warnings: string[] = [];
  let outcomes: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (_obj: object | string, msg?: string) => void warnings.push(msg ?? ''), child: () => logger };
  let queue: TypedQueue<typeof QUEUES.detection>;
  let events: QueueEvents;

  beforeEach(async () => {
    prefix = `t-wr-${process.pid}-${Date.now()}-${seq++}`;
    warnings = [];
    outcomes = [];
    registry = new WorkerRegistry(conn, prefix, logger, (_queue, _job, outcome) => void outcomes.push(outcome));
    queue = new TypedQueue(QUEUES.detection, conn, prefix);
    events = new QueueEvents(QUEUES.detection, { connection: createRedis(TEST_REDIS_URL, 'worker'), prefix });
    await events.waitUntilReady();
  });

  afterEach(async () => {
    await registry.close();
    await events.close();
    await queue.queue.obliterate({ force: true });
    await queue.close();
    await cleanupRedisPrefix(prefix);
  });

  afterAll(() => closeRedis(conn));

  async function run(handler: (payload: unknown, job: JobContext) => Promise<unknown>, data: unknown = event) {
    const calls: unknown[] = [];
    registry.register(QUEUES.detection, {
      'object-created': async (payload, job) => {
        calls.push(payload);
        return handler(payload, job);
      },
    });
    registry.start();
    const job = await queue.queue.add('object-created', data, { attempts: 3, backoff: { type: 'fixed', delay: 10 } });
    const outcome = await new Promise<'completed' | 'failed'>((resolve) => {
      events.on('completed', ({ jobId }) => jobId === job.id && resolve('completed'));
      events.on('failed', async ({ jobId }) => {
        if (jobId !== job.id) return;
        const current = await queue.queue.getJob(job.id!);
        if (current && (await current.getState()) === 'failed') resolve('failed');
      });
    });
    const final = await queue.queue.getJob(job.id!);
    return { outcome, calls, attempts: final!.attemptsMade };
  }

  it('hands a valid payload to its handler', async () => {
    const { outcome, calls } = await run(async () => 'ok');
    expect(outcome).toBe('completed');
    expect(calls).toEqual([event]);
  });

  it('fails a malformed payload once, without calling the handler or retrying', async () => {
    const { outcome, calls, attempts } = await run(async () => 'ok', { key: 42 });
    expect(outcome).toBe('failed');
    expect(calls).toHaveLength(0);
    expect(attempts).toBe(1);
  });

  it('does not retry a permanent catalog error', async () => {
    const { outcome, calls } = await run(async () => {
      throw new RelabelError('IMAGE_CORRUPT');
    });
    expect(outcome).toBe('failed');
    expect(calls).toHaveLength(1);
  });

  it('retries a transient error until it succeeds', async () => {
    let n = 0;
    const { outcome, calls } = await run(async () => {
      if (++n < 3) throw new RelabelError('STORE_UNAVAILABLE');
      return 'ok';
    });
    expect(outcome).toBe('completed');
    expect(calls).toHaveLength(3);
  });

  it('puts a delayed job back without spending an attempt or logging a failure', async () => {
    let n = 0;
    const { outcome, calls, attempts } = await run(async () => (++n < 3 ? delayJob(20, 'held by another request') : 'ok'));
    expect(outcome).toBe('completed');
    expect(calls).toHaveLength(3);
    expect(attempts).toBe(1);
    expect(outcomes).toEqual(['delayed', 'delayed', 'completed']);
    expect(warnings).toEqual([]);
  });

  it('refuses to boot when handlers do not match the contract', () => {
    const missing: Partial<JobHandlers<typeof QUEUES.detection>> = {};
    expect(() => buildProcessor(QUEUES.detection, missing as JobHandlers<typeof QUEUES.detection>, silentLogger, () => undefined)).toThrow(/do not match/);
  });

  it('refuses a payload that breaks the contract at the producer', async () => {
    await expect(queue.add('object-created', { ...event, size: -1 })).rejects.toThrow(/size/);
  });
});
