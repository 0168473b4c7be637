// Test helper run as a separate process (tsx): leases and answers review tasks from a shared loop
// directory until none is left, then prints what it answered. Used to check that leases hold across
// processes, which only the lock files can guarantee.
import { silentLogger } from '@relabel/ports';
import { createFsObjectStore } from '../../object-store/fs-object-store';
import { createLocalHumanReview } from '../local-human-review.adapter';

async function main(): Promise<void> {
  const [dir, bucketRoot, reviewer] = process.argv.slice(2);
  if (!dir || !bucketRoot || !reviewer) throw new Error('usage: review-as-process <dir> <bucketRoot> <reviewer>');
  const store = createFsObjectStore({ root: bucketRoot, bucket: 'b' });
  const review = createLocalHumanReview({ store, logger: silentLogger }, { dir, flowName: 'flow', answersPerLoop: 1 });
  const answered: string[] = [];
  const errors: string[] = [];
  for (;;) {
    const claim = await review.workbench.claimNext(reviewer);
    if (!claim) break;
    try {
      await review.workbench.submitAnswer(claim.task.loop.name, reviewer, 'cat');
      answered.push(claim.task.loop.name);
    } catch (err) {
      errors.push(`${claim.task.loop.name}: ${(err as Error).message}`);
    }
  }
  process.stdout.write(JSON.stringify({ answered, errors }));
}

main().catch((err: Error) => {
  process.stderr.write(err.stack ?? err.message);
  process.exit(1);
});
