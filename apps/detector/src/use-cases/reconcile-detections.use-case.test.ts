import type { ObjectCreated } from '@relabel/contracts';
import type { RequeueOutcome } from '@relabel/platform';
import { MemoryObjectStore } from '../testing/fixture-ports';
import { reconcileDetections } from './reconcile-detections.use-case';

const NOW = new Date('2026-12-01T10:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);

async function put(store: MemoryObjectStore, key: string, at: Date, body = key): Promise<void> {
  await store.put(key, Buffer.from(body));
  store.objects.get(key)!.lastModified = at;
}

function setup(outcome: RequeueOutcome = 'queued') {
  const store = new MemoryObjectStore();
  const requeued: ObjectCreated[] = [];
  const deps = {
    store,
    graceMs: 15_000,
    now: () => NOW,
    requeue: async (event: ObjectCreated) => {
      requeued.push(event);
      return outcome;
    },
  };
  return { store, requeued, deps };
}

describe('reconcileDetections', () => {
  it('requeues exactly the images with no result, or a result older than the image, with their current eTag', async () => {
    const { store, requeued, deps } = setup();
    await put(store, 'images_for_detection/done.jpg', ago(60_000));
    await put(store, 'detection_results/done.jpg.json', ago(50_000));
    await put(store, 'images_for_detection/lost.jpg', ago(60_000), 'lost bytes');
    await put(store, 'images_for_detection/sub/dir/lost too.png', ago(40_000));
    await put(store, 'images_for_detection/rewritten.jpg', ago(30_000));
    await put(store, 'detection_results/rewritten.jpg.json', ago(90_000));

    const report = await reconcileDetections(deps);

    expect(report).toEqual({ objects: 4, pending: 3, deferred: 0, queued: 3, retried: 0 });
    expect(requeued.map((e) => e.key).sort()).toEqual([
      'images_for_detection/lost.jpg',
      'images_for_detection/rewritten.jpg',
      'images_for_detection/sub/dir/lost too.png',
    ]);
    const lost = requeued.find((e) => e.key === 'images_for_detection/lost.jpg')!;
    expect(lost).toEqual({
      bucket: 'test-bucket',
      key: 'images_for_detection/lost.jpg',
      size: 'lost bytes'.length,
      eTag: store.objects.get('images_for_detection/lost.jpg')!.eTag,
      eventTime: ago(60_000).toISOString(),
    });
  });

  it('leaves images younger than the grace period to the inbox and reports them as deferred', async () => {
    const { store, requeued, deps } = setup();
    await put(store, 'images_for_detection/copying.jpg', ago(2_000));
    await put(store, 'images_for_detection/old.jpg', ago(20_000));
    expect(await reconcileDetections(deps)).toMatchObject({ objects: 2, pending: 1, deferred: 1 });
    expect(requeued.map((e) => e.key)).toEqual(['images_for_detection/old.jpg']);
  });

  it('counts jobs that were still queued or were retried apart from new ones', async () => {
    const { store, deps } = setup('exists');
    await put(store, 'images_for_detection/a.jpg', ago(60_000));
    expect(await reconcileDetections(deps)).toMatchObject({ pending: 1, queued: 0, retried: 0 });
    const retried = setup('retried');
    await put(retried.store, 'images_for_detection/a.jpg', ago(60_000));
    expect(await reconcileDetections(retried.deps)).toMatchObject({ pending: 1, queued: 0, retried: 1 });
  });

  it('finds nothing to do in a bucket where every image has its result', async () => {
    const { store, requeued, deps } = setup();
    for (let i = 0; i < 50; i++) {
      await put(store, `images_for_detection/img-${i}.jpg`, ago(100_000));
      await put(store, `detection_results/img-${i}.jpg.json`, ago(90_000));
    }
    expect(await reconcileDetections(deps)).toEqual({ objects: 50, pending: 0, deferred: 0, queued: 0, retried: 0 });
    expect(requeued).toHaveLength(0);
  });
});
