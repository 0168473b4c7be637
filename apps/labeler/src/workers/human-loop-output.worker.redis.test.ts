import { humanLoopOutputKey, ObjectCreated, QUEUES } from '@relabel/contracts';
import { startLabelerTestApp, TEST_ADMIN_TOKEN, waitFor } from '../testing/labeler-test-app';

type TestApp = Awaited<ReturnType<typeof startLabelerTestApp>>;

describe('human loop output worker (real Redis, local inbox)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startLabelerTestApp({ reviewImages: 2 });
  });
  afterEach(() => t.close());

  const queue = () => t.app.queues.get(QUEUES.humanLoopOutput);
  const eventFor = async (key: string): Promise<ObjectCreated> => {
    const info = await t.store.head(key);
    if (!info) throw new Error(`no object ${key}`);
    return { bucket: t.store.bucket, key, size: info.size, eTag: info.eTag, eventTime: new Date().toISOString() };
  };

  it('makes one copy however often the output event is replayed', async () => {
    const { task } = await t.app.providers.reviewWorkbench!.submitAnswer('loop-1', 'alice', 'dog');
    const outputKey = task.loop.outputKey!;
    const copies = () => t.keys('images_labeled_by_folder/dog/humanLoopName-loop-1-');
    await waitFor(async () => (await copies()).length === 1, 8000, 'the first copy');

    const event = await eventFor(outputKey);
    for (let i = 0; i < 10; i++) await queue().queue.add('object-created', event, { jobId: `replay-${i}` });
    await waitFor(async () => {
      const jobs = await Promise.all(Array.from({ length: 10 }, (_, i) => queue().queue.getJob(`replay-${i}`)));
      return jobs.every((job) => job?.finishedOn !== undefined);
    }, 8000, 'the replayed jobs');
    expect(await copies()).toHaveLength(1);
    expect((await queue().queue.getJob('replay-9'))?.returnvalue).toMatchObject({ outcome: 'already-copied' });
  });

  it('fails malformed and unusable outputs once, records why, and keeps serving', async () => {
    const at = new Date('2026-02-03T04:05:06Z');
    const broken = humanLoopOutputKey('relabel-review', 'broken', at);
    const unknown = humanLoopOutputKey('relabel-review', 'unknown-label', at);
    await t.store.put(broken, Buffer.from('{"humanAnswers": [ '));
    await t.store.put(unknown, Buffer.from(JSON.stringify({
      flowDefinitionArn: 'arn:aws:sagemaker:eu-west-1:1:flow-definition/relabel-review',
      humanLoopName: 'unknown-label',
      inputContent: { taskObject: 's3://relabel-local/images_for_detection/whatever.jpg' },
      humanAnswers: [{ answerContent: { 'crowd-image-classifier': { label: 'zebra' } }, submissionTime: at.toISOString(), workerId: 'w' }],
    })));
    const failed = await waitFor(async () => {
      const jobs = await queue().queue.getJobs(['failed']);
      return jobs.length === 2 ? jobs : null;
    }, 10_000, 'two failed jobs');
    for (const job of failed) expect(job.attemptsMade).toBe(1);
    const rejections = await t.app.labeler.ingestionLog.recentRejections(10);
    expect(rejections.map((r) => r.outputKey).sort()).toEqual([broken, unknown].sort());
    expect(rejections.find((r) => r.outputKey === unknown)?.reason).toMatch(/zebra is not a known category/);
    expect(await t.keys('images_labeled_by_folder/zebra/')).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const listed = await t.app.inject({ method: 'GET', url: '/api/ingestion/rejections', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    expect(listed.json().items.map((r: { outputKey: string }) => r.outputKey).sort()).toEqual([broken, unknown].sort());
    expect((await t.app.inject({ method: 'GET', url: '/api/ingestion/rejections' })).statusCode).toBe(401);
  });
});

describe('two answers per loop', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startLabelerTestApp({ reviewImages: 2, env: { RELABEL_REVIEW_ANSWERS_PER_LOOP: '2' } });
  });
  afterAll(() => t.close());

  it('stays pending on one answer, completes on two agreeing answers, and asks a third on a tie', async () => {
    const wb = t.app.providers.reviewWorkbench!;
    expect((await wb.submitAnswer('loop-1', 'alice', 'cat')).outcome).toBe('awaiting-answers');
    expect(await t.keys('a2i-human-loop-data/')).toEqual([]);
    expect((await wb.submitAnswer('loop-1', 'bob', 'cat')).outcome).toBe('completed');
    await waitFor(async () => (await t.keys('images_labeled_by_folder/cat/humanLoopName-loop-1-')).length === 1, 8000, 'the agreed copy');

    expect((await wb.submitAnswer('loop-2', 'alice', 'cat')).outcome).toBe('awaiting-answers');
    expect((await wb.submitAnswer('loop-2', 'bob', 'dog')).outcome).toBe('tied');
    expect((await t.app.providers.humanReview.describeHumanLoop('loop-2'))?.status).toBe('pending');
    expect((await wb.claimNext('carol'))?.task.loop.name).toBe('loop-2');
    expect((await wb.submitAnswer('loop-2', 'carol', 'dog')).outcome).toBe('completed');
    await waitFor(async () => (await t.keys('images_labeled_by_folder/dog/humanLoopName-loop-2-')).length === 1, 8000, 'the majority copy');
  });
});
