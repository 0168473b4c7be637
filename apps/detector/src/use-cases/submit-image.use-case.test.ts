import { HUMAN_LOOP_NAME_PATTERN, RelabelError, detectionResultKey } from '@relabel/contracts';
import { detectionFixture } from '../testing/detection-setup';
import { makeJpeg, makePng } from '../testing/image-fixtures';
import { submitImage } from './submit-image.use-case';
import { detectObject } from './detect-object.use-case';

describe('submitImage (POST /detect)', () => {
  it('stores the image, runs the live model and writes and announces a passed result', async () => {
    const { deps } = detectionFixture();
    deps.modelService.labels.v1 = [
      { name: 'cat', confidence: 91.5 },
      { name: 'dog', confidence: 8.5 },
    ];
    const view = await submitImage(deps, await makeJpeg(), { maxResults: 5 });
    expect(view).toMatchObject({ status: 'ok', modelVersion: 'v1', threshold: 70, passed: true, humanLoop: null, source: 'api' });
    expect(view.labels.map((l) => l.name)).toEqual(['cat', 'dog']);
    expect(view.imageKey).toMatch(/^images_for_detection\/api-[0-9a-f-]{36}\.jpg$/);
    expect(deps.store.keys()).toEqual([detectionResultKey(view.imageKey), view.imageKey].sort());
    const stored = JSON.parse(deps.store.objects.get(detectionResultKey(view.imageKey))!.body.toString());
    expect(stored).toMatchObject({ id: view.id, eTag: view.eTag, notified: true, status: 'ok' });
    expect(deps.notifier.sent).toHaveLength(1);
    expect(deps.notifier.sent[0]).toMatchObject({ channel: 'consumer', type: 'detection.completed', data: { id: view.id } });
    expect(deps.notifier.sent[0]!.dedupeId).toBeTruthy();
    expect(deps.modelService.calls).toEqual([{ version: 'v1', bytes: expect.any(Number), maxResults: 5 }]);
  });

  it('starts a human loop with an A2I-valid name and the model guess below the threshold', async () => {
    const { deps } = detectionFixture({ 'Minimum-Label-Detection-Confidence': 80 });
    deps.modelService.labels.v1 = [{ name: 'cat', confidence: 79.9 }];
    const view = await submitImage(deps, await makePng(), { maxResults: 3 });
    expect(view).toMatchObject({ passed: false, threshold: 80 });
    expect(view.humanLoop?.name).toMatch(new RegExp(HUMAN_LOOP_NAME_PATTERN));
    expect(view.imageKey).toMatch(/\.png$/);
    const loop = deps.humanReview.loops.get(view.humanLoop!.name)!;
    expect(loop).toMatchObject({ imageKey: view.imageKey, guess: { label: 'cat', confidence: 79.9 } });
  });

  it('answers no_model before the first deployment and still sends the image to review', async () => {
    const { deps, live } = detectionFixture();
    live.version = null;
    const view = await submitImage(deps, await makeJpeg(), { maxResults: 5 });
    expect(view).toMatchObject({ status: 'no_model', modelVersion: null, labels: [], passed: false });
    expect(deps.humanReview.loops.get(view.humanLoop!.name)?.guess).toBeNull();
    expect(deps.modelService.calls).toHaveLength(0);
    deps.parameters.set({ 'Enable-A2I-Workflow': false });
    expect((await submitImage(deps, await makeJpeg(), { maxResults: 5 })).humanLoop).toBeNull();
    expect(deps.humanReview.loops.size).toBe(1);
  });

  it('follows threshold and A2I switch changes from one request to the next', async () => {
    const { deps } = detectionFixture();
    deps.modelService.labels.v1 = [{ name: 'cat', confidence: 99 }];
    expect((await submitImage(deps, await makeJpeg(), { maxResults: 5 })).humanLoop).toBeNull();
    deps.parameters.set({ 'Minimum-Label-Detection-Confidence': 100 });
    expect((await submitImage(deps, await makeJpeg(), { maxResults: 5 })).humanLoop).not.toBeNull();
    deps.parameters.set({ 'Enable-A2I-Workflow': false });
    expect((await submitImage(deps, await makeJpeg(), { maxResults: 5 })).humanLoop).toBeNull();
  });

  it('stores nothing and calls no model for an invalid image', async () => {
    const { deps } = detectionFixture();
    const jpeg = await makeJpeg();
    await expect(submitImage(deps, jpeg.subarray(0, jpeg.length / 2), { maxResults: 5 })).rejects.toMatchObject({ code: 'IMAGE_CORRUPT' });
    await expect(submitImage(deps, Buffer.from('hello'), { maxResults: 5 })).rejects.toMatchObject({ code: 'IMAGE_UNSUPPORTED_TYPE' });
    expect(deps.store.keys()).toEqual([]);
    expect(deps.modelService.calls).toHaveLength(0);
  });

  it('removes the stored image when the detection cannot be completed', async () => {
    const { deps } = detectionFixture();
    deps.humanReview.startHumanLoop = async () => {
      throw new RelabelError('DEPENDENCY_UNAVAILABLE', 'review down');
    };
    await expect(submitImage(deps, await makeJpeg(), { maxResults: 5 })).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    expect(deps.store.keys()).toEqual([]);
    expect(deps.notifier.sent).toHaveLength(0);
  });

  it('retries on the new version when the live one is switched away mid-request', async () => {
    const { deps, live } = detectionFixture();
    deps.modelService.labels.v2 = [{ name: 'cat', confidence: 88 }];
    deps.modelService.stopped.add('v1');
    deps.activeModel.refresh = async () => (live.version = 'v2');
    const view = await submitImage(deps, await makeJpeg(), { maxResults: 5 });
    expect(view).toMatchObject({ status: 'ok', modelVersion: 'v2', passed: true });
  });

  it('queues no job for a detection it finished, only for a failed notification, which that job then sends', async () => {
    const { deps, enqueued } = detectionFixture();
    await submitImage(deps, await makeJpeg(), { maxResults: 5 });
    expect(enqueued).toEqual([]);
    deps.notifier.error = new Error('webhook down');
    const view = await submitImage(deps, await makeJpeg(), { maxResults: 5 });
    expect(deps.notifier.sent).toHaveLength(1);
    expect(enqueued).toEqual([{ bucket: deps.store.bucket, key: view.imageKey, eTag: view.eTag, size: expect.any(Number), eventTime: view.detectedAt }]);
    deps.notifier.error = null;
    expect(await detectObject(deps, enqueued[0]!)).toEqual({ outcome: 'duplicate', id: view.id });
    expect(await detectObject(deps, enqueued[0]!)).toEqual({ outcome: 'duplicate', id: view.id });
    expect(deps.notifier.sent).toHaveLength(2);
    expect(deps.modelService.calls).toHaveLength(2);
  });
});

describe('submitImage when the live version cannot serve', () => {
  it('answers a retryable MODEL_SERVICE_UNAVAILABLE and stores nothing', async () => {
    const { deps } = detectionFixture();
    deps.modelService.stopped.add('v1');
    await expect(submitImage(deps, await makeJpeg(), { maxResults: 5 })).rejects.toMatchObject({ code: 'MODEL_SERVICE_UNAVAILABLE', status: 503, retryable: true });
    expect(deps.store.keys()).toEqual([]);
  });
});
