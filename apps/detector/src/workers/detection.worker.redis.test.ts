jest.setTimeout(30_000);

import { createHash } from 'crypto';
import { ObjectCreated, QUEUES, detectionResultKey, objectCreatedJobId } from '@relabel/contracts';
import { RedisDetectionLocks } from '../infra/redis-detection-locks';
import { detectorTestApp } from '../testing/detector-app';
import { makeJpeg } from '../testing/image-fixtures';
import { waitFor } from '@relabel/ports/testing';

const until = <T>(what: string, probe: () => Promise<T | undefined | null | false>) => waitFor(probe, { what, timeoutMs: 15_000, intervalMs: 50 });

describe('object-created events on real Redis and BullMQ', () => {
  let t: Awaited<ReturnType<typeof detectorTestApp>>;
  beforeEach(async () => {
    t = await detectorTestApp({}, { events: true });
    t.modelService.labels.v1 = [{ name: 'cat', confidence: 30 }];
  });
  afterEach(() => t.close());

  const queue = () => t.app.queues.get(QUEUES.detection);
  // Straight onto the BullMQ queue, as the inbox's producer does (payload typed by ObjectCreated already).
  const enqueue = (event: ObjectCreated, jobId: string) => queue().queue.add('object-created', event, { jobId });
  const drained = async () => {
    const counts = await queue().queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
    const pending = ['waiting', 'active', 'delayed', 'prioritized'].reduce((sum, state) => sum + (counts[state] ?? 0), 0);
    return pending === 0 ? { failed: counts.failed ?? 0 } : null;
  };
  async function put(key: string, body: Buffer): Promise<ObjectCreated> {
    const { eTag } = await t.app.providers.objectStore.put(key, body);
    return { bucket: 'relabel-local', key, eTag, size: body.length, eventTime: new Date().toISOString() };
  }

  it('100 duplicate events make one result, one human loop and one notification; a new eTag makes a second', async () => {
    const key = 'images_for_detection/dup/one.jpg';
    const first = await put(key, await makeJpeg(64, 48, 1));
    const jobId = objectCreatedJobId(first);
    // the same jobId (BullMQ drops these) and at-least-once redeliveries under fresh job ids
    await Promise.all(Array.from({ length: 50 }, () => enqueue(first, jobId)));
    await Promise.all(Array.from({ length: 50 }, (_, i) => enqueue(first, `${jobId}-redelivery-${i}`)));
    const counts = await until('the queue to drain', drained);
    expect(counts.failed).toBe(0);
    expect(t.modelService.calls).toHaveLength(1);
    expect(t.humanReview.loops.size).toBe(1);
    expect(t.notifier.sent).toHaveLength(1);
    const result = JSON.parse((await t.app.providers.objectStore.get(detectionResultKey(key))).body.toString());
    expect(result).toMatchObject({ imageKey: key, eTag: first.eTag, status: 'ok', passed: false, notified: true });

    const second = await put(key, await makeJpeg(64, 48, 2));
    await Promise.all(Array.from({ length: 10 }, (_, i) => enqueue(second, `${objectCreatedJobId(second)}-${i}`)));
    await until('the second version', drained);
    expect(t.modelService.calls).toHaveLength(2);
    expect(t.humanReview.loops.size).toBe(2);
    expect(t.notifier.sent).toHaveLength(2);
    expect(new Set(t.notifier.sent.map((n) => n.dedupeId)).size).toBe(2);
    const updated = JSON.parse((await t.app.providers.objectStore.get(detectionResultKey(key))).body.toString());
    expect(updated.eTag).toBe(second.eTag);
  });

  it('waits, without spending attempts, while another request holds the image', async () => {
    const event = await put('images_for_detection/held.jpg', await makeJpeg(64, 48, 6));
    const locks = new RedisDetectionLocks(t.app.redis, t.config.keyPrefix);
    const release = await locks.tryAcquire(event.key, 30_000);
    const jobId = objectCreatedJobId(event);
    // One attempt only: if waiting spent attempts, this job would fail instead of finishing.
    await queue().queue.add('object-created', event, { jobId, attempts: 1 });
    await new Promise((r) => setTimeout(r, 2500));
    expect(await t.app.providers.objectStore.head(detectionResultKey(event.key))).toBeNull();
    expect(await queue().queue.getJobState(jobId)).toMatch(/delayed|active|waiting/);
    await release!();
    const job = await until('the held image detected', async () => {
      const j = await queue().queue.getJob(jobId);
      return j && (await j.isCompleted()) ? j : null;
    });
    expect(job.returnvalue).toMatchObject({ outcome: 'detected' });
  });

  it('detects files dropped into the bucket folder through the inbox, once, and skips non-images for good', async () => {
    const jpeg = await makeJpeg(64, 48, 9);
    await put('images_for_detection/drop/a.jpg', jpeg);
    await put('images_for_detection/drop/notes.txt', Buffer.from('not an image'));
    const read = async (key: string) => {
      const obj = await t.app.providers.objectStore.head(detectionResultKey(key));
      return obj ? JSON.parse((await t.app.providers.objectStore.get(detectionResultKey(key))).body.toString()) : null;
    };
    expect(await until('a.jpg detected', () => read('images_for_detection/drop/a.jpg'))).toMatchObject({ status: 'ok', source: 'event' });
    expect(await until('notes.txt skipped', () => read('images_for_detection/drop/notes.txt'))).toMatchObject({
      status: 'skipped',
      reason: { code: 'IMAGE_UNSUPPORTED_TYPE' },
    });
    const counts = await until('the queue to drain', drained);
    expect(counts.failed).toBe(0);
    expect(t.modelService.calls).toHaveLength(1);
  });

  it('runs no second job for a POSTed image: the inbox skips the image the detector stored itself', async () => {
    const jpeg = await makeJpeg(64, 48, 4);
    const res = await t.app.inject({ method: 'POST', url: '/detect', payload: jpeg, headers: { 'content-type': 'image/jpeg' } });
    expect(res.statusCode).toBe(200);
    const { imageKey, eTag } = res.json();
    expect(eTag).toBe(createHash('md5').update(jpeg).digest('hex'));
    // A file dropped after the POST is seen by the inbox no earlier than the POSTed one: once it is
    // detected, the inbox has looked at both.
    const dropped = await put('images_for_detection/drop/after-post.jpg', await makeJpeg(64, 48, 5));
    await until('the dropped image detected', async () => t.app.providers.objectStore.head(detectionResultKey(dropped.key)));
    await until('the queue to drain', drained);
    expect(await queue().queue.getJob(objectCreatedJobId({ key: imageKey, eTag }))).toBeUndefined();
    const counts = await queue().queue.getJobCounts('completed', 'failed');
    expect(counts).toEqual({ completed: 1, failed: 0 });
    expect(t.modelService.calls).toHaveLength(2);
    expect(t.notifier.sent).toHaveLength(2);
    const record = JSON.parse((await t.app.providers.objectStore.get(detectionResultKey(imageKey))).body.toString());
    expect(record).toMatchObject({ eTag, source: 'api', notified: true });
  });
});
