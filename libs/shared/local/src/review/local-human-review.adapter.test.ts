import { mkdtemp, rm, readdir } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { isErrorCode, NONE_OF_THE_ABOVE, parseHumanLoopOutput, answerLabel, outputImageKey } from '@relabel/contracts';
import { listAllObjects, silentLogger, ObjectStore } from '@relabel/ports';
import { describeHumanReviewConformance } from '@relabel/ports/testing';
import { createFsObjectStore } from '../object-store/fs-object-store';
import { createLocalHumanReview, LocalHumanReviewOptions } from './local-human-review.adapter';

async function makeEnv(extra: Partial<LocalHumanReviewOptions> = {}) {
  const root = await mkdtemp(join(tmpdir(), 'relabel-review-'));
  const store = createFsObjectStore({ root: join(root, 'bucket'), bucket: 'test-bucket' });
  const opts = { dir: join(root, 'review'), flowName: 'relabel-flow', answersPerLoop: 1, ...extra };
  const review = createLocalHumanReview({ store, logger: silentLogger }, opts);
  return { root, store, opts, review, cleanup: () => rm(root, { recursive: true, force: true }) };
}

async function outputs(store: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of listAllObjects(store, 'a2i-human-loop-data/')) keys.push(o.key);
  return keys;
}

const start = (review: Awaited<ReturnType<typeof makeEnv>>['review'], name: string) =>
  review.startHumanLoop({ name, imageKey: `images_for_detection/${name}.jpg`, guess: { label: 'cat', confidence: 40 } });

describeHumanReviewConformance('local review service', async () => {
  const env = await makeEnv();
  return { review: env.review, cleanup: env.cleanup };
});

describe('local review workbench', () => {
  let env: Awaited<ReturnType<typeof makeEnv>>;
  afterEach(() => env.cleanup());

  it('completes a loop with one answer and writes the A2I output.json', async () => {
    env = await makeEnv({ now: () => new Date('2026-03-04T05:06:07Z') });
    await start(env.review, 'img-1');
    const claim = await env.review.workbench.claimNext('alice');
    expect(claim?.task.loop.name).toBe('img-1');
    const { outcome, task } = await env.review.workbench.submitAnswer('img-1', 'alice', 'dog');
    expect(outcome).toBe('completed');
    expect(task.loop.outputKey).toBe('a2i-human-loop-data/relabel-flow/2026/03/04/05/06/07/img-1/output.json');
    const output = parseHumanLoopOutput((await env.store.get(task.loop.outputKey!)).body);
    expect(output.humanLoopName).toBe('img-1');
    expect(output.flowDefinitionArn).toContain('relabel-flow');
    expect(outputImageKey(output)).toBe('images_for_detection/img-1.jpg');
    expect(output.humanAnswers.map((a) => [answerLabel(a), a.workerId])).toEqual([['dog', 'alice']]);
    const described = await env.review.describeHumanLoop('img-1');
    expect(described).toMatchObject({ status: 'completed', answer: { label: 'dog', answerCount: 1 } });
    expect((await env.review.listHumanLoops({ status: 'completed' })).items.map((l) => l.name)).toEqual(['img-1']);
    expect((await env.review.listHumanLoops({ status: 'pending' })).items).toEqual([]);
  });

  it('never gives the same single-answer task to two reviewers at once; an expired lease returns it', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    env = await makeEnv({ leaseMs: 60_000, now: () => new Date(now) });
    await start(env.review, 'only-one');
    expect((await env.review.workbench.claimNext('alice'))?.task.loop.name).toBe('only-one');
    expect(await env.review.workbench.claimNext('bob')).toBeNull();
    expect((await env.review.workbench.claimNext('alice'))?.task.loop.name).toBe('only-one');
    now += 61_000;
    expect((await env.review.workbench.claimNext('bob'))?.task.loop.name).toBe('only-one');
  });

  it('hands concurrent claimers different tasks', async () => {
    env = await makeEnv();
    for (const n of ['c-1', 'c-2', 'c-3']) await start(env.review, n);
    const claims = await Promise.all(['r1', 'r2', 'r3', 'r4'].map((r) => env.review.workbench.claimNext(r)));
    const names = claims.map((c) => c?.task.loop.name ?? null);
    expect(names.filter(Boolean).sort()).toEqual(['c-1', 'c-2', 'c-3']);
    expect(names.filter((n) => n === null)).toHaveLength(1);
  });

  it('sends a skipped task to the back of the reviewer queue and releases it to others', async () => {
    env = await makeEnv();
    await start(env.review, 's-1');
    await start(env.review, 's-2');
    const first = await env.review.workbench.claimNext('alice');
    await env.review.workbench.release(first!.task.loop.name, 'alice', { skip: true });
    const second = await env.review.workbench.claimNext('alice');
    expect(second?.task.loop.name).not.toBe(first?.task.loop.name);
    expect((await env.review.workbench.claimNext('bob'))?.task.loop.name).toBe(first?.task.loop.name);
  });

  it('with 2 answers per loop: one answer leaves it pending, agreement completes it, a tie asks for a third', async () => {
    env = await makeEnv({ answersPerLoop: 2 });
    await start(env.review, 'agree');
    await start(env.review, 'tie');
    const wb = env.review.workbench;
    expect((await wb.submitAnswer('agree', 'alice', 'cat')).outcome).toBe('awaiting-answers');
    expect((await env.review.describeHumanLoop('agree'))?.status).toBe('pending');
    expect((await wb.submitAnswer('agree', 'bob', 'cat')).outcome).toBe('completed');
    expect((await env.review.describeHumanLoop('agree'))?.answer).toMatchObject({ label: 'cat', answerCount: 2 });

    await wb.submitAnswer('tie', 'alice', 'cat');
    const tied = await wb.submitAnswer('tie', 'bob', 'dog');
    expect(tied.outcome).toBe('tied');
    expect(tied.task.answersRequired).toBe(3);
    expect((await wb.claimNext('carol'))?.task.loop.name).toBe('tie');
    expect((await wb.submitAnswer('tie', 'carol', 'dog')).outcome).toBe('completed');
    expect((await env.review.describeHumanLoop('tie'))?.answer?.label).toBe('dog');
    expect(await outputs(env.store)).toHaveLength(2);
  });

  it('lets two reviewers hold a loop that asks for two answers, but not a third', async () => {
    env = await makeEnv({ answersPerLoop: 2 });
    await start(env.review, 'multi');
    expect((await env.review.workbench.claimNext('alice'))?.task.loop.name).toBe('multi');
    expect((await env.review.workbench.claimNext('bob'))?.task.loop.name).toBe('multi');
    expect(await env.review.workbench.claimNext('carol')).toBeNull();
  });

  it('refuses bad labels, double answers and closed loops with coded errors', async () => {
    env = await makeEnv({ answersPerLoop: 2 });
    await start(env.review, 'guarded');
    const wb = env.review.workbench;
    for (const bad of ['../x', 'a/b', '', 'tab\there', 'x'.repeat(65)]) {
      expect(isErrorCode(await wb.submitAnswer('guarded', 'alice', bad).catch((e: unknown) => e), 'REVIEW_INVALID_LABEL')).toBe(true);
    }
    await wb.submitAnswer('guarded', 'alice', NONE_OF_THE_ABOVE);
    expect(isErrorCode(await wb.submitAnswer('guarded', 'alice', 'cat').catch((e: unknown) => e), 'REVIEW_LOOP_CLOSED')).toBe(true);
    await wb.submitAnswer('guarded', 'bob', NONE_OF_THE_ABOVE);
    expect((await env.review.describeHumanLoop('guarded'))?.answer?.label).toBe(NONE_OF_THE_ABOVE);
    expect(isErrorCode(await wb.submitAnswer('guarded', 'carol', 'cat').catch((e: unknown) => e), 'REVIEW_LOOP_CLOSED')).toBe(true);
    expect(isErrorCode(await wb.submitAnswer('missing', 'carol', 'cat').catch((e: unknown) => e), 'REVIEW_LOOP_NOT_FOUND')).toBe(true);
    expect(isErrorCode(await wb.submitAnswer('../../x', 'carol', 'cat').catch((e: unknown) => e), 'REVIEW_LOOP_NOT_FOUND')).toBe(true);
  });

  it('counts progress and survives a new instance on the same directory', async () => {
    env = await makeEnv();
    for (const n of ['d-1', 'd-2', 'd-3']) await start(env.review, n);
    await env.review.workbench.submitAnswer('d-1', 'alice', 'cat');
    await env.review.workbench.submitAnswer('d-2', 'bob', 'dog');
    const again = createLocalHumanReview({ store: env.store, logger: silentLogger }, env.opts);
    expect(await again.workbench.progress('alice')).toEqual({ pending: 1, doneToday: 2, doneTodayByReviewer: 1 });
    expect((await again.describeHumanLoop('d-2'))?.status).toBe('completed');
    expect(await readdir(join(env.opts.dir, 'locks'))).toEqual([]);
  });

  it('expires pending loops past their lifetime', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    env = await makeEnv({ loopLifetimeMs: 1000, now: () => new Date(now) });
    await start(env.review, 'old');
    now += 2000;
    expect(await env.review.workbench.claimNext('alice')).toBeNull();
    expect(await env.review.describeHumanLoop('old')).toMatchObject({ status: 'failed', failureReason: 'expired' });
  });
});
