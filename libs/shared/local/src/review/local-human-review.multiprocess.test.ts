import { execFile } from 'child_process';
import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';
import { silentLogger } from '@relabel/ports';
import { createFsObjectStore } from '../object-store/fs-object-store';
import { createLocalHumanReview } from './local-human-review.adapter';

jest.setTimeout(60_000);
const run = promisify(execFile);

describe('local review service shared by several processes', () => {
  let root: string;
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('never hands one single-answer task to two processes', async () => {
    root = await mkdtemp(join(tmpdir(), 'relabel-review-mp-'));
    const dir = join(root, 'review');
    const bucketRoot = join(root, 'bucket');
    const store = createFsObjectStore({ root: bucketRoot, bucket: 'b' });
    const review = createLocalHumanReview({ store, logger: silentLogger }, { dir, flowName: 'flow', answersPerLoop: 1 });
    const names = Array.from({ length: 30 }, (_, i) => `mp-${String(i).padStart(2, '0')}`);
    for (const name of names) await review.startHumanLoop({ name, imageKey: `images_for_detection/${name}.jpg`, guess: null });

    const script = join(__dirname, 'testing', 'review-as-process.ts');
    const results = await Promise.all(
      ['p1', 'p2', 'p3'].map(async (reviewer) => {
        const { stdout } = await run(process.execPath, ['--import', 'tsx', script, dir, bucketRoot, reviewer], { cwd: join(__dirname, '..', '..', '..', '..', '..') });
        return JSON.parse(stdout) as { answered: string[]; errors: string[] };
      }),
    );
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect(results.flatMap((r) => r.answered).sort()).toEqual(names);
    const completed = await review.listHumanLoops({ status: 'completed', limit: 100 });
    expect(completed.items).toHaveLength(30);
    for (const loop of completed.items) expect(loop.answer?.answerCount).toBe(1);
  });
});
