import { ObjectCreated, RelabelError, detectionResultKey, isErrorCode } from '@relabel/contracts';
import { detectionFixture } from '../testing/detection-setup';
import { makeJpeg } from '../testing/image-fixtures';
import { detectObject } from './detect-object.use-case';

type Fixture = ReturnType<typeof detectionFixture>;

async function drop(deps: Fixture['deps'], key: string, body: Buffer): Promise<ObjectCreated> {
  const { eTag } = await deps.store.put(key, body);
  return { bucket: deps.store.bucket, key, eTag, size: body.length, eventTime: new Date().toISOString() };
}

describe('detectObject (object-created events)', () => {
  it('detects a dropped image once, however often its event is delivered', async () => {
    const { deps } = detectionFixture();
    deps.modelService.labels.v1 = [{ name: 'cat', confidence: 40 }];
    const event = await drop(deps, 'images_for_detection/cam/one.jpg', await makeJpeg());
    const putsBefore = deps.store.puts;
    const first = await detectObject(deps, event);
    expect(first).toMatchObject({ outcome: 'detected', status: 'ok' });
    for (let i = 0; i < 99; i++) expect((await detectObject(deps, event)).outcome).toBe('duplicate');
    expect(deps.modelService.calls).toHaveLength(1);
    expect(deps.humanReview.loops.size).toBe(1);
    expect(deps.notifier.sent).toHaveLength(1);
    // the result is written once, already notified; nothing per duplicate
    expect(deps.store.puts - putsBefore).toBe(1);
    const record = JSON.parse(deps.store.objects.get(detectionResultKey(event.key))!.body.toString());
    expect(record).toMatchObject({ imageKey: event.key, eTag: event.eTag, source: 'event', humanLoop: { name: expect.any(String) }, notified: true });
  });

  it('keeps a result whose notification failed and only notifies on the retry, without detecting again', async () => {
    const { deps } = detectionFixture();
    const event = await drop(deps, 'images_for_detection/quiet.jpg', await makeJpeg());
    deps.notifier.error = new Error('SNS throttled');
    await expect(detectObject(deps, event)).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    const stored = () => JSON.parse(deps.store.objects.get(detectionResultKey(event.key))!.body.toString());
    expect(stored()).toMatchObject({ eTag: event.eTag, notified: false });
    deps.notifier.error = null;
    expect(await detectObject(deps, event)).toMatchObject({ outcome: 'duplicate' });
    expect(stored()).toMatchObject({ eTag: event.eTag, notified: true });
    expect(deps.modelService.calls).toHaveLength(1);
    expect(deps.notifier.sent).toHaveLength(1);
  });

  it('detects parallel duplicates once: the others see the lock or the result', async () => {
    const { deps } = detectionFixture();
    const event = await drop(deps, 'images_for_detection/p.jpg', await makeJpeg());
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => detectObject(deps, event)));
    const detected = outcomes.filter((o) => o.status === 'fulfilled' && o.value.outcome === 'detected');
    expect(detected).toHaveLength(1);
    for (const o of outcomes) {
      if (o.status === 'rejected') expect(isErrorCode(o.reason, 'DETECTION_IN_PROGRESS')).toBe(true);
    }
    expect(deps.modelService.calls).toHaveLength(1);
    expect(deps.notifier.sent).toHaveLength(1);
  });

  it('detects a new version of the same key again, with a loop of its own', async () => {
    const { deps } = detectionFixture();
    const first = await drop(deps, 'images_for_detection/same.jpg', await makeJpeg(64, 48, 1));
    await detectObject(deps, first);
    const second = await drop(deps, 'images_for_detection/same.jpg', await makeJpeg(64, 48, 2));
    expect(second.eTag).not.toBe(first.eTag);
    expect(await detectObject(deps, second)).toMatchObject({ outcome: 'detected' });
    expect(await detectObject(deps, first)).toMatchObject({ outcome: 'duplicate' });
    expect(deps.humanReview.loops.size).toBe(2);
    expect(deps.notifier.sent).toHaveLength(2);
    expect(deps.modelService.calls).toHaveLength(2);
  });

  it('skips non-images with a recorded reason and never retries them', async () => {
    const { deps } = detectionFixture();
    const text = await drop(deps, 'images_for_detection/readme.txt', Buffer.from('hello'));
    expect(await detectObject(deps, text)).toMatchObject({ outcome: 'skipped', reason: expect.stringMatching(/^IMAGE_UNSUPPORTED_TYPE/) });
    const fake = await drop(deps, 'images_for_detection/fake.jpg', Buffer.from('not really a jpeg'));
    expect(await detectObject(deps, fake)).toMatchObject({ outcome: 'skipped', reason: expect.stringMatching(/^IMAGE_UNSUPPORTED_TYPE/) });
    const jpeg = await makeJpeg();
    const broken = await drop(deps, 'images_for_detection/broken.jpg', jpeg.subarray(0, jpeg.length >> 1));
    expect(await detectObject(deps, broken)).toMatchObject({ outcome: 'skipped', reason: expect.stringMatching(/^IMAGE_CORRUPT/) });
    const record = JSON.parse(deps.store.objects.get(detectionResultKey(broken.key))!.body.toString());
    expect(record).toMatchObject({ status: 'skipped', reason: { code: 'IMAGE_CORRUPT' }, humanLoop: null });
    expect(await detectObject(deps, broken)).toMatchObject({ outcome: 'duplicate' });
    expect(deps.modelService.calls).toHaveLength(0);
    expect(deps.humanReview.loops.size).toBe(0);
  });

  it('skips an object over the size limit without reading it', async () => {
    const { deps } = detectionFixture();
    const event = await drop(deps, 'images_for_detection/huge.jpg', await makeJpeg());
    deps.limits.maxBytes = event.size - 1;
    deps.store.get = jest.fn(deps.store.get.bind(deps.store));
    expect(await detectObject(deps, event)).toMatchObject({ outcome: 'skipped', reason: expect.stringMatching(/^IMAGE_TOO_LARGE/) });
    expect(deps.store.get).not.toHaveBeenCalledWith(event.key);
  });

  it('asks for a retry while another request holds the image', async () => {
    const { deps } = detectionFixture();
    const event = await drop(deps, 'images_for_detection/busy.jpg', await makeJpeg());
    const release = await deps.locks.tryAcquire(event.key);
    await expect(detectObject(deps, event)).rejects.toMatchObject({ code: 'DETECTION_IN_PROGRESS', retryable: true });
    await release!();
    expect(await detectObject(deps, event)).toMatchObject({ outcome: 'detected' });
  });

  it('ignores keys outside the prefix and objects deleted before detection', async () => {
    const { deps } = detectionFixture();
    const outside = await drop(deps, 'images_labeled_by_folder/cat/a.jpg', await makeJpeg());
    expect(await detectObject(deps, outside)).toMatchObject({ outcome: 'ignored' });
    const gone = await drop(deps, 'images_for_detection/gone.jpg', await makeJpeg());
    await deps.store.delete(gone.key);
    expect(await detectObject(deps, gone)).toMatchObject({ outcome: 'ignored' });
    expect(deps.store.keys('detection_results/')).toEqual([]);
  });

  it('leaves transient model failures to the job retry', async () => {
    const { deps } = detectionFixture();
    const event = await drop(deps, 'images_for_detection/t.jpg', await makeJpeg());
    deps.modelService.error = new RelabelError('MODEL_SERVICE_UNAVAILABLE');
    await expect(detectObject(deps, event)).rejects.toMatchObject({ code: 'MODEL_SERVICE_UNAVAILABLE' });
    expect(deps.store.keys('detection_results/')).toEqual([]);
    deps.modelService.error = null;
    expect(await detectObject(deps, event)).toMatchObject({ outcome: 'detected' });
  });
});
