import { isRelabelError } from '@relabel/contracts';
import type { HumanReview } from '../human-review.port';
import { describeConformance } from './conformance-suite';

export interface HumanReviewUnderTest {
  review: HumanReview;
  /** removes what the test made (temp dir, mocks) */
  cleanup(): Promise<void>;
}

/**
 * Behaviour every HumanReview adapter must show (local review service; A2I under a mocked SDK).
 * Completion is not part of the port (answers arrive as output files), so it is not tested here.
 */
export function describeHumanReviewConformance(name: string, makeAdapter: () => Promise<HumanReviewUnderTest>): void {
  describeConformance('HumanReview', name, makeAdapter, (subject) => {
    const start = (loopName: string, imageKey = `images_for_detection/${loopName}.jpg`) =>
      subject().review.startHumanLoop({ name: loopName, imageKey, guess: { label: 'cat', confidence: 41.5 } });

    it('starts a pending loop and describes it', async () => {
      const { loop, created } = await start('loop-a');
      expect(created).toBe(true);
      expect(loop).toMatchObject({ name: 'loop-a', status: 'pending', imageKey: 'images_for_detection/loop-a.jpg', guess: { label: 'cat', confidence: 41.5 } });
      expect(Number.isNaN(Date.parse(loop.createdAt))).toBe(false);
      expect(await subject().review.describeHumanLoop('loop-a')).toMatchObject({ name: 'loop-a', status: 'pending' });
    });

    it('is idempotent by name: a second start returns the first loop', async () => {
      await start('loop-b', 'images_for_detection/first.jpg');
      const again = await start('loop-b', 'images_for_detection/second.jpg');
      expect(again.created).toBe(false);
      expect(again.loop.imageKey).toBe('images_for_detection/first.jpg');
      expect((await subject().review.listHumanLoops()).items.filter((l) => l.name === 'loop-b')).toHaveLength(1);
    });

    it('keeps a loop without a guess', async () => {
      await subject().review.startHumanLoop({ name: 'no-guess', imageKey: 'images_for_detection/x.png', guess: null });
      expect((await subject().review.describeHumanLoop('no-guess'))?.guess).toBeNull();
    });

    it('answers null for an unknown loop, including names that are not loop names', async () => {
      expect(await subject().review.describeHumanLoop('never-started')).toBeNull();
      expect(await subject().review.describeHumanLoop('../../etc/passwd')).toBeNull();
    });

    it.each(['Upper', '-lead', 'a_b', '../x', 'a'.repeat(64), ''])('refuses the loop name %j with a coded error', async (bad) => {
      const err = await start(bad).catch((e: unknown) => e);
      expect(isRelabelError(err)).toBe(true);
    });

    it('lists by status and pages without repeating or losing a loop', async () => {
      const names = ['p-1', 'p-2', 'p-3', 'p-4', 'p-5'];
      for (const n of names) await start(n);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await subject().review.listHumanLoops({ status: 'pending', limit: 2, cursor });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((l) => l.name));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual(names);
      expect((await subject().review.listHumanLoops({ status: 'completed' })).items).toEqual([]);
    });
  });
}
