import { mkdtemp, rm, utimes } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import type { ObjectCreated } from '@relabel/contracts';
import { createFsObjectStore } from '@relabel/local-adapters';
import type { ObjectStore } from '@relabel/ports';
import { memoryIngestionLog } from '../testing/memory-ingestion-log';
import { reconcileOutputs } from './reconcile-outputs.use-case';

const output = (loop: string) => `a2i-human-loop-data/flow/2026/12/01/09/00/00/${loop}/output.json`;

describe('reconcileOutputs', () => {
  let root: string;
  let store: ObjectStore;
  let requeued: ObjectCreated[];
  let log: ReturnType<typeof memoryIngestionLog>;
  const deps = () => ({
    store,
    log,
    graceMs: 15_000,
    requeue: async (event: ObjectCreated) => {
      requeued.push(event);
      return 'queued' as const;
    },
  });
  const put = async (key: string, ageMs = 60_000) => {
    await store.put(key, Buffer.from(key));
    const at = new Date(Date.now() - ageMs);
    await utimes(join(root, 'bucket', key), at, at);
  };

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'relabel-reconcile-outputs-'));
    store = createFsObjectStore({ root: join(root, 'bucket'), bucket: 'bucket' });
    requeued = [];
    log = memoryIngestionLog();
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('requeues outputs with neither a labelled copy nor a logged outcome', async () => {
    await put(output('cat-photo-aaa'));
    await put('images_labeled_by_folder/cat/humanLoopName-cat-photo-aaa-photo.jpg');
    await put(output('dog-photo-bbb'));
    await put(output('none-photo-ccc'));
    await log.record({ outputKey: output('none-photo-ccc'), loopName: 'none-photo-ccc', outcome: 'none-of-the-above', at: new Date().toISOString() });
    await put(output('lost-photo-ddd'));
    // a copy for a loop whose name only starts like another's is not that loop's copy
    await put('images_labeled_by_folder/dog/humanLoopName-lost-photo-dd-x.jpg');

    const report = await reconcileOutputs(deps());

    expect(report).toEqual({ objects: 4, pending: 2, deferred: 0, queued: 2, retried: 0 });
    expect(requeued.map((e) => e.key).sort()).toEqual([output('dog-photo-bbb'), output('lost-photo-ddd')]);
    expect(requeued[0]).toMatchObject({ bucket: 'bucket', eTag: expect.stringMatching(/^[0-9a-f]{32}$/) });
  });

  it('defers outputs younger than the grace period and ignores other files of a loop', async () => {
    await put(output('fresh-loop'), 1_000);
    await put('a2i-human-loop-data/flow/2026/12/01/09/00/00/fresh-loop/input.json');
    expect(await reconcileOutputs(deps())).toMatchObject({ objects: 1, pending: 0, deferred: 1 });
    expect(requeued).toHaveLength(0);
  });
});
