import { ListHumanLoopsCommand, StartHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { silentLogger } from '@relabel/ports';
import { describeHumanReviewConformance } from '@relabel/ports/testing';
import { fakeS3 } from '../s3/fake-s3.test-support';
import { createS3ObjectStore } from '../s3/s3-object-store';
import { createA2iHumanReview } from './a2i-human-review.adapter';
import { fakeA2i } from './fake-a2i.test-support';

const BUCKET = 'relabel-bucket';
const FLOW = 'arn:aws:sagemaker:eu-west-1:123456789012:flow-definition/relabel-review';

function setup() {
  const s3 = fakeS3(BUCKET);
  const store = createS3ObjectStore({ client: s3.client }, { bucket: BUCKET });
  const a2i = fakeA2i({ bucket: BUCKET, flowDefinitionArns: [FLOW], writeOutput: async (key, body) => void (await store.put(key, body)) });
  const review = createA2iHumanReview({ client: a2i.client, logger: silentLogger, store }, { flowDefinitionArn: FLOW, bucket: BUCKET });
  return { s3, a2i, store, review, cleanup: async () => void (a2i.mock.restore(), s3.mock.restore()) };
}

describeHumanReviewConformance('A2I (aws-sdk-client-mock)', async () => {
  const { review, cleanup } = setup();
  return { review, cleanup };
});

describe('A2I human review specifics', () => {
  let fx: ReturnType<typeof setup>;
  beforeEach(() => {
    fx = setup();
  });
  afterEach(() => fx.cleanup());

  it('starts a loop with the image s3:// URI and the guess as InputContent', async () => {
    await fx.review.startHumanLoop({ name: 'img-1', imageKey: 'images_for_detection/a cat.jpg', guess: { label: 'cat', confidence: 41.5 } });
    const input = fx.a2i.mock.commandCalls(StartHumanLoopCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ HumanLoopName: 'img-1', FlowDefinitionArn: FLOW });
    expect(JSON.parse(input.HumanLoopInput!.InputContent!)).toEqual({
      taskObject: `s3://${BUCKET}/images_for_detection/a cat.jpg`,
      guess: { label: 'cat', confidence: 41.5 },
      initialValue: 41.5,
    });
  });

  it('sends the categories the worker template offers, always ending with None of the Above', async () => {
    await fx.review.startHumanLoop({ name: 'img-2', imageKey: 'images_for_detection/b.jpg', guess: null, categories: ['cat', 'None of the Above', 'dog'] });
    const input = fx.a2i.mock.commandCalls(StartHumanLoopCommand)[0]!.args[0].input;
    expect(JSON.parse(input.HumanLoopInput!.InputContent!).categories).toEqual(['cat', 'dog', 'None of the Above']);
  });

  it('answers created:false when A2I reports a concurrent start as a conflict', async () => {
    // the loop appears between our describe and our start (another worker won the race)
    fx.a2i.mock.on(StartHumanLoopCommand).callsFakeOnce(async () => {
      fx.a2i.loops.set('raced', { name: 'raced', flow: FLOW, input: '{}', status: 'InProgress', created: new Date() });
      throw Object.assign(new Error('same name, different input'), { name: 'ConflictException', $metadata: { httpStatusCode: 409 } });
    });
    const { loop, created } = await fx.review.startHumanLoop({ name: 'raced', imageKey: 'images_for_detection/r.jpg', guess: null });
    expect(created).toBe(false);
    expect(loop).toMatchObject({ name: 'raced', status: 'pending' });
  });

  it('maps a completed loop: output key in our bucket and the majority answer from output.json', async () => {
    await fx.review.startHumanLoop({ name: 'done-1', imageKey: 'images_for_detection/d.png', guess: { label: 'dog', confidence: 30 } });
    await fx.a2i.complete('done-1', ['cat', 'dog', 'cat']);
    const loop = await fx.review.describeHumanLoop('done-1');
    expect(loop).toMatchObject({
      status: 'completed',
      imageKey: 'images_for_detection/d.png',
      outputKey: expect.stringMatching(/^a2i-human-loop-data\/relabel-review\/\d{4}\/.+\/done-1\/output\.json$/),
      answer: { label: 'cat', answerCount: 3 },
    });
    expect(loop!.completedAt).toBe(loop!.answer!.answeredAt);
    expect((await fx.review.listHumanLoops({ status: 'completed' })).items.map((l) => l.name)).toEqual(['done-1']);
  });

  it('leaves the answer out on a tie and maps Failed with its reason', async () => {
    await fx.review.startHumanLoop({ name: 'tie', imageKey: 'images_for_detection/t.png', guess: null });
    await fx.a2i.complete('tie', ['cat', 'dog']);
    expect((await fx.review.describeHumanLoop('tie'))?.answer).toBeUndefined();
    await fx.review.startHumanLoop({ name: 'broken', imageKey: 'images_for_detection/b.png', guess: null });
    fx.a2i.fail('broken', 'task expired');
    expect(await fx.review.describeHumanLoop('broken')).toMatchObject({ status: 'failed', failureReason: 'task expired' });
  });

  it('recovers the image from output.json without a store record, and works with no store at all', async () => {
    const bare = createA2iHumanReview({ client: fx.a2i.client, logger: silentLogger }, { flowDefinitionArn: FLOW, bucket: BUCKET });
    await bare.startHumanLoop({ name: 'bare', imageKey: 'images_for_detection/x.jpg', guess: null });
    expect(await bare.describeHumanLoop('bare')).toMatchObject({ status: 'pending', imageKey: '' });
    await fx.a2i.complete('bare', ['cat']);
    expect(await fx.review.describeHumanLoop('bare')).toMatchObject({ imageKey: 'images_for_detection/x.jpg', answer: { label: 'cat' } });
    expect((await bare.describeHumanLoop('bare'))?.answer).toBeUndefined();
  });

  it('lists within a creation window and keeps the window in the cursor', async () => {
    for (const n of ['l-1', 'l-2', 'l-3']) await fx.review.startHumanLoop({ name: n, imageKey: `images_for_detection/${n}.jpg`, guess: null });
    const first = await fx.review.listHumanLoops({ limit: 2 });
    await fx.review.listHumanLoops({ limit: 2, cursor: first.nextCursor });
    const [a, b] = fx.a2i.mock.commandCalls(ListHumanLoopsCommand).map((c) => c.args[0].input);
    expect(a).toMatchObject({ FlowDefinitionArn: FLOW, MaxResults: 2, SortOrder: 'Descending', NextToken: undefined });
    expect(Date.now() - a!.CreationTimeAfter!.getTime()).toBeGreaterThan(29 * 86_400_000);
    expect(b).toMatchObject({ NextToken: '2', CreationTimeAfter: a!.CreationTimeAfter });
    await expect(fx.review.listHumanLoops({ cursor: 'garbage' })).rejects.toMatchObject({ code: 'REQUEST_INVALID' });
  });

  it.each([
    ['ThrottlingException', 'DEPENDENCY_UNAVAILABLE', true],
    ['InternalServerException', 'DEPENDENCY_UNAVAILABLE', true],
    ['ServiceQuotaExceededException', 'QUOTA_EXCEEDED', false],
  ])('maps a StartHumanLoop %s to %s (retryable: %s)', async (name, code, retryable) => {
    fx.a2i.mock.on(StartHumanLoopCommand).rejects(Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 400 } }));
    await expect(fx.review.startHumanLoop({ name: 'x', imageKey: 'images_for_detection/x.jpg', guess: null })).rejects.toMatchObject({ code, retryable });
  });

  it('names the quota of a refused start, and reports a wrong flow definition (a ValidationException) as configuration', async () => {
    fx.a2i.mock.on(StartHumanLoopCommand).rejects(Object.assign(new Error('quota'), { name: 'ServiceQuotaExceededException', $metadata: { httpStatusCode: 400 } }));
    await expect(fx.review.startHumanLoop({ name: 'q', imageKey: 'images_for_detection/q.jpg', guess: null })).rejects.toMatchObject({ message: expect.stringContaining('human loops in progress') });
    const wrong = createA2iHumanReview({ client: fakeA2i({ bucket: BUCKET, flowDefinitionArns: [FLOW] }).client, logger: silentLogger }, { flowDefinitionArn: `${FLOW}-old`, bucket: BUCKET });
    await expect(wrong.startHumanLoop({ name: 'w', imageKey: 'images_for_detection/w.jpg', guess: null })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      retryable: false,
      message: expect.stringContaining('RELABEL_A2I_FLOW_DEFINITION_ARN'),
    });
  });
});
