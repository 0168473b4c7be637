import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { isErrorCode, NONE_OF_THE_ABOVE } from '@relabel/contracts';
import { createFsObjectStore } from '@relabel/local-adapters';
import { listAllObjects, ObjectStore, HumanLoop } from '@relabel/ports';
import { memoryIngestionLog } from '../testing/memory-ingestion-log';
import { ingestHumanLoopOutput, IngestDeps } from './ingest-human-loop-output.use-case';

const OUTPUT_KEY = 'a2i-human-loop-data/flow/2026/01/02/03/04/05/loop-1/output.json';
const IMAGE_KEY = 'images_for_detection/cam 1/photo.jpg';

function output(labels: unknown[], extra: Record<string, unknown> = {}) {
  return {
    flowDefinitionArn: 'arn:aws:sagemaker:eu-west-1:1:flow-definition/flow',
    humanLoopName: 'loop-1',
    inputContent: { taskObject: `s3://bucket/${IMAGE_KEY}` },
    humanAnswers: labels.map((label, i) => ({
      answerContent: { 'crowd-image-classifier': { label } },
      submissionTime: '2026-01-02T03:04:05Z',
      workerId: `w${i}`,
    })),
    ...extra,
  };
}

describe('ingestHumanLoopOutput', () => {
  let root: string;
  let store: ObjectStore;
  let deps: IngestDeps & { log: ReturnType<typeof memoryIngestionLog> };
  let loop: HumanLoop | null;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'relabel-ingest-'));
    store = createFsObjectStore({ root, bucket: 'bucket' });
    await store.put(IMAGE_KEY, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    loop = null;
    deps = { store, humanReview: { describeHumanLoop: async () => loop }, knownLabels: async () => new Set(['cat', 'dog']), log: memoryIngestionLog() };
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const put = (body: unknown) => store.put(OUTPUT_KEY, Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)));
  const labeled = async () => {
    const keys: string[] = [];
    for await (const o of listAllObjects(store, 'images_labeled_by_folder/')) keys.push(o.key);
    return keys;
  };
  const rejection = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

  it('copies the image under the majority label, once, however often the event repeats', async () => {
    await put(output(['dog', 'cat', 'dog']));
    const first = await ingestHumanLoopOutput(deps, { key: OUTPUT_KEY });
    expect(first).toMatchObject({ outcome: 'copied', label: 'dog', answers: 3, copiedTo: 'images_labeled_by_folder/dog/humanLoopName-loop-1-photo.jpg' });
    for (let i = 0; i < 3; i++) expect((await ingestHumanLoopOutput(deps, { key: OUTPUT_KEY })).outcome).toBe('already-copied');
    expect(await labeled()).toEqual(['images_labeled_by_folder/dog/humanLoopName-loop-1-photo.jpg']);
    expect((await store.get('images_labeled_by_folder/dog/humanLoopName-loop-1-photo.jpg')).body).toEqual((await store.get(IMAGE_KEY)).body);
  });

  it('records None of the Above without copying', async () => {
    await put(output([NONE_OF_THE_ABOVE]));
    expect(await ingestHumanLoopOutput(deps, { key: OUTPUT_KEY })).toMatchObject({ outcome: 'none-of-the-above' });
    expect(await labeled()).toEqual([]);
    expect(deps.log.entries.map((e) => e.outcome)).toEqual(['none-of-the-above']);
  });

  it.each([
    ['malformed JSON', '{"flowDefinitionArn": ', 'REVIEW_OUTPUT_INVALID', /not valid JSON/],
    ['a shape that is not A2I', { hello: 'world' }, 'REVIEW_OUTPUT_INVALID', /A2I shape/],
    ['empty answers', output([]), 'REVIEW_OUTPUT_INVALID', /no answers/],
    ['answers without a label', output(['']), 'REVIEW_OUTPUT_INVALID', /no label/],
    ['a tie', output(['cat', 'dog']), 'REVIEW_OUTPUT_INVALID', /tied/],
    ['an unknown label', output(['horse']), 'REVIEW_INVALID_LABEL', /not a known category/],
    ['a path as label', output(['../x']), 'REVIEW_INVALID_LABEL', /not a valid label/],
    ['a nested path as label', output(['a/b']), 'REVIEW_INVALID_LABEL', /not a valid label/],
    ['no task object', output(['cat'], { inputContent: {} }), 'REVIEW_OUTPUT_INVALID', /taskObject/],
    ['a missing image', output(['cat'], { inputContent: { taskObject: 's3://bucket/images_for_detection/gone.jpg' } }), 'REVIEW_OUTPUT_INVALID', /no longer exists/],
  ])('records %s with a reason and rejects it permanently', async (_what, body, code, reason) => {
    await put(body);
    const err = await rejection(ingestHumanLoopOutput(deps, { key: OUTPUT_KEY }));
    expect(isErrorCode(err, code as 'REVIEW_OUTPUT_INVALID')).toBe(true);
    expect((err as { retryable: boolean }).retryable).toBe(false);
    expect(deps.log.entries).toHaveLength(1);
    expect(deps.log.entries[0]).toMatchObject({ outcome: 'rejected', outputKey: OUTPUT_KEY });
    expect(deps.log.entries[0]!.reason).toMatch(reason);
    expect(await labeled()).toEqual([]);
  });

  it('names a failed or expired loop as the reason for empty answers', async () => {
    loop = { name: 'loop-1', status: 'failed', failureReason: 'expired', imageKey: IMAGE_KEY, guess: null, createdAt: '2026-01-01T00:00:00Z' };
    await put(output([]));
    await rejection(ingestHumanLoopOutput(deps, { key: OUTPUT_KEY }));
    expect(deps.log.entries[0]!.reason).toMatch(/loop failed \(expired\)/);
  });

  it('ignores keys that are not output.json files', async () => {
    expect(await ingestHumanLoopOutput(deps, { key: 'a2i-human-loop-data/flow/notes.txt' })).toEqual({ outcome: 'ignored', outputKey: 'a2i-human-loop-data/flow/notes.txt' });
    expect(deps.log.entries).toEqual([]);
  });

  it('lets transient store failures through for a retry', async () => {
    await put(output(['cat']));
    const flaky: ObjectStore = Object.assign(Object.create(store) as ObjectStore, {
      copy: async () => {
        throw Object.assign(new Error('disk busy'), { code: 'EIO' });
      },
    });
    await expect(ingestHumanLoopOutput({ ...deps, store: flaky }, { key: OUTPUT_KEY })).rejects.toThrow('disk busy');
    expect(deps.log.entries).toEqual([]);
  });
});
