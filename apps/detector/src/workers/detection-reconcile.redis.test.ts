jest.setTimeout(60_000);

import { QUEUES, detectionResultKey } from '@relabel/contracts';
import { cleanupRedisPrefix } from '@relabel/platform/testing';
import { detectorTestApp } from '../testing/detector-app';
import { makeJpeg } from '../testing/image-fixtures';
import { waitFor } from '@relabel/ports/testing';

const until = <T>(what: string, probe: () => Promise<T | undefined | null | false>) => waitFor(probe, { what, timeoutMs: 40_000, intervalMs: 100 });

const IMAGES = 30;

/**
 * The operator's FLUSHALL scenario (issue 11): images are dropped, the inbox hands their jobs to
 * Redis and records them as delivered, then Redis loses everything. The shared test Redis cannot be
 * flushed, so every key of this test's prefix is deleted instead — all the service can see of a
 * FLUSHALL.
 */
describe('detection after Redis lost its queued jobs', () => {
  let t: Awaited<ReturnType<typeof detectorTestApp>>;
  let open = () => undefined as void;
  // A failed expectation must not leave jobs waiting at the gate: closing drains the workers.
  afterEach(async () => {
    open();
    await t.close();
  });

  it('30 images whose jobs were wiped right after delivery all get one result, one loop and one notification', async () => {
    t = await detectorTestApp({ RELABEL_RECONCILE_GRACE_MS: '0' }, { events: true });
    t.modelService.labels.v1 = [{ name: 'cat', confidence: 30 }];
    // Inference waits at a gate, so the wipe finds every job still queued or running.
    const gate = new Promise<void>((resolve) => (open = resolve));
    const detect = t.modelService.detect.bind(t.modelService);
    t.modelService.detect = async (...args) => {
      await gate;
      return detect(...args);
    };
    const store = t.app.providers.objectStore;
    const keys: string[] = [];
    for (let i = 0; i < IMAGES; i++) {
      const key = `images_for_detection/drop/img-${i}.jpg`;
      await store.put(key, await makeJpeg(64, 48, 100 + i));
      keys.push(key);
    }
    const queue = t.app.queues.get(QUEUES.detection).queue;
    const pending = async () => {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0);
    };
    await until('the inbox to hand all images to the queue', async () => (await pending()) === IMAGES);

    await cleanupRedisPrefix(t.config.keyPrefix);
    expect(await pending()).toBe(0);
    // The platform notices the empty Redis (its marker is gone) and requeues from the bucket.
    await until('the reconcile to requeue the lost images', async () => (await pending()) >= IMAGES - t.config.detector.concurrency * 2);
    open();

    const results = await until('a notified result for every image', async () => {
      const all = await Promise.all(keys.map(async (key) => {
        const object = await store.get(detectionResultKey(key)).catch(() => null);
        return object ? (JSON.parse(object.body.toString()) as { eTag: string; notified: boolean; humanLoop: { name: string } | null }) : null;
      }));
      return all.every((r) => r?.notified) ? all : null;
    });
    await until('the queue to drain', async () => (await pending()) === 0);

    for (const [i, key] of keys.entries()) expect(results[i]).toMatchObject({ eTag: (await store.head(key))!.eTag, humanLoop: { name: expect.any(String) } });
    expect(t.modelService.calls).toHaveLength(IMAGES);
    expect(t.humanReview.loops.size).toBe(IMAGES);
    expect(t.notifier.sent).toHaveLength(IMAGES);
    expect(new Set(t.notifier.sent.map((n) => n.dedupeId)).size).toBe(IMAGES);
  });
});
