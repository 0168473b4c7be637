import type { FastifyInstance } from 'fastify';
import { listAllObjects } from '@relabel/ports';
import { makeSyntheticImages, waitFor as waitForState } from '@relabel/ports/testing';
import { loginAs, seedAccount, testConfig, TEST_ADMIN_TOKEN, TEST_REVIEWER_TOKEN } from '@relabel/platform/testing';
import { buildApp } from '../app';

export { loginAs, seedAccount, TEST_ADMIN_TOKEN, TEST_REVIEWER_TOKEN };

/**
 * The real labeler on the local profile in a temp data dir with a unique Redis prefix, plus a
 * small training set (`cat` ×3, `dog` ×2) and `count` images waiting for review.
 */
export async function startLabelerTestApp(options: { env?: Record<string, string>; reviewImages?: number; listen?: boolean } = {}) {
  const config = testConfig({ RELABEL_PROFILE: 'local', ...options.env });
  const app: FastifyInstance = await buildApp({ config, logger: false });
  await app.ready();
  const store = app.providers.objectStore;
  const training = await makeSyntheticImages({ labels: ['cat', 'dog'], perLabel: 3, seed: 7, width: 96, height: 96 });
  for (const image of [...training.filter((img) => img.label === 'cat'), ...training.filter((img) => img.label === 'dog').slice(0, 2)]) {
    await store.put(`images_labeled_by_folder/${image.label}/${image.file}`, image.body);
  }
  const review = await makeSyntheticImages({ labels: ['cat', 'dog', 'bird'], perLabel: Math.ceil((options.reviewImages ?? 0) / 3), seed: 11, width: 480, height: 360 });
  const loops: string[] = [];
  for (const [i, image] of review.slice(0, options.reviewImages ?? 0).entries()) {
    const imageKey = `images_for_detection/${image.file}`;
    await store.put(imageKey, image.body);
    const name = `loop-${i + 1}`;
    await app.providers.humanReview.startHumanLoop({ name, imageKey, guess: { label: image.label === 'bird' ? 'cat' : image.label, confidence: 40 + i } });
    loops.push(name);
  }
  return {
    app,
    config,
    store,
    loops,
    async keys(prefix: string): Promise<string[]> {
      const keys: string[] = [];
      for await (const o of listAllObjects(store, prefix)) keys.push(o.key);
      return keys;
    },
    async close() {
      await app.close();
      await config.cleanup();
    },
  };
}

/** Polls `check` until it returns a truthy value (or throws after `timeoutMs`). */
export const waitFor = <T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 8000, what = 'condition') =>
  waitForState(check, { what, timeoutMs, intervalMs: 100 });
