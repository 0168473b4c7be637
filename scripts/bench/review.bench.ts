/**
 * Review numbers. The workbench round trip a reviewer waits for on each image: claim the next task
 * and submit an answer, with many loops pending. Also the issue-7 promise "answering puts the image
 * in images_labeled_by_folder/<label>/ within 2 seconds", measured through the real labeler: local
 * review service → output.json → fs inbox → BullMQ (real Redis) → ingestion worker → copy.
 *
 *   npx tsx scripts/bench/review.bench.ts [pending=1000] [answers=200] [e2e=10]
 */
import { mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import { randomBytes } from 'crypto';
import { createFsObjectStore, createLocalHumanReview } from '@relabel/local-adapters';
import { silentLogger } from '@relabel/ports';
import { loadConfig } from '@relabel/platform';
import { cleanupRedisPrefix } from '@relabel/platform/testing';
import { buildApp } from '../../apps/labeler/src/app';

const [pending = 1000, answers = 200, e2e = 10] = process.argv.slice(2).map(Number);

function percentiles(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(1);
  return `p50 ${at(50)} ms  p95 ${at(95)} ms  p99 ${at(99)} ms  max ${sorted[sorted.length - 1]!.toFixed(1)} ms`;
}

async function workbenchRoundTrip(root: string): Promise<void> {
  const store = createFsObjectStore({ root: path.join(root, 'bucket'), bucket: 'bench' });
  const review = createLocalHumanReview({ store, logger: silentLogger }, { dir: path.join(root, 'review'), flowName: 'bench', answersPerLoop: 1 });
  for (let i = 0; i < pending; i++) {
    await review.startHumanLoop({ name: `bench-${i}`, imageKey: `images_for_detection/${i}.jpg`, guess: { label: 'cat', confidence: 50 } });
  }
  const claims: number[] = [];
  const submits: number[] = [];
  for (let i = 0; i < answers; i++) {
    const t0 = performance.now();
    const claim = await review.workbench.claimNext('bench-reviewer');
    const t1 = performance.now();
    if (!claim) throw new Error('ran out of tasks');
    await review.workbench.submitAnswer(claim.task.loop.name, 'bench-reviewer', 'cat');
    submits.push(performance.now() - t1);
    claims.push(t1 - t0);
  }
  console.log(`workbench, ${pending} pending loops, ${answers} answers`);
  console.log(`  claim next     ${percentiles(claims)}`);
  console.log(`  submit answer  ${percentiles(submits)}  (includes the output.json put)`);
}

async function answerToTrainingImage(root: string): Promise<void> {
  const keyPrefix = `bench${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    RELABEL_DATA_DIR: path.join(root, 'e2e'),
    RELABEL_KEY_PREFIX: keyPrefix,
    RELABEL_ADMIN_TOKEN: 'bench-admin-token-0123456789',
    RELABEL_REVIEWER_TOKEN: 'bench-reviewer-token-0123456789',
    LOG_LEVEL: 'silent',
  });
  const app = await buildApp({ config, logger: false });
  try {
    await app.ready();
    const store = app.providers.objectStore;
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);
    await store.put('images_labeled_by_folder/cat/seed.jpg', jpeg);
    const delays: number[] = [];
    for (let i = 0; i < e2e; i++) {
      const imageKey = `images_for_detection/e2e-${i}.jpg`;
      await store.put(imageKey, jpeg);
      await app.providers.humanReview.startHumanLoop({ name: `e2e-${i}`, imageKey, guess: null });
      const t0 = performance.now();
      await app.providers.reviewWorkbench!.submitAnswer(`e2e-${i}`, 'bench', 'cat');
      const copy = `images_labeled_by_folder/cat/humanLoopName-e2e-${i}-e2e-${i}.jpg`;
      while (!(await store.head(copy))) await new Promise((resolve) => setTimeout(resolve, 20));
      delays.push(performance.now() - t0);
    }
    console.log(`answer → labelled copy in the training set, ${e2e} loops (fs inbox + Redis + worker)`);
    console.log(`  ${percentiles(delays)}`);
  } finally {
    await app.close();
    await cleanupRedisPrefix(keyPrefix);
  }
}

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'relabel-review-bench-'));
  try {
    await workbenchRoundTrip(root);
    await answerToTrainingImage(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
