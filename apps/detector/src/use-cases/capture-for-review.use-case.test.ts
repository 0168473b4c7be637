import { RelabelError } from '@relabel/contracts';
import type { ReviewCap } from '../domain/review-cap';
import { detectionFixture } from '../testing/detection-setup';
import { makeJpeg } from '../testing/image-fixtures';
import { detectObject } from './detect-object.use-case';
import { requestReview } from './request-review.use-case';
import { submitImage } from './submit-image.use-case';

/** A cap of `limit` loops for the whole test (one window), counting what it hands out. */
function countingCap(limit: number): ReviewCap & { taken: number } {
  const cap = {
    taken: 0,
    async tryTake() {
      if (cap.taken >= limit) return false;
      cap.taken++;
      return true;
    },
    async giveBack() {
      cap.taken--;
    },
  };
  return cap;
}

const event = (key: string, eTag: string) => ({ bucket: 'b', key, eTag, size: 100, eventTime: new Date().toISOString() });

describe('capture for review', () => {
  it('opens one loop for the same bytes posted five times; the others reuse it and say why they went', async () => {
    const { deps } = detectionFixture({ 'Minimum-Label-Detection-Confidence': 80 });
    deps.modelService.labels.v1 = [{ name: 'cat', confidence: 40 }];
    const jpeg = await makeJpeg(64, 48, 7);
    const views = [];
    for (let i = 0; i < 5; i++) views.push(await submitImage(deps, jpeg, { maxResults: 5 }));
    expect(new Set(views.map((v) => v.imageKey)).size).toBe(5);
    expect(new Set(views.map((v) => v.humanLoop?.name)).size).toBe(1);
    expect(deps.humanReview.loops.size).toBe(1);
    expect(views.map((v) => v.review)).toEqual([
      { reason: 'low_confidence', outcome: 'opened' },
      ...Array.from({ length: 4 }, () => ({ reason: 'low_confidence', outcome: 'reused' })),
    ]);
    // the same file under another name, arriving as an event, joins the same loop
    await deps.store.put('images_for_detection/renamed.jpg', jpeg);
    const { eTag } = (await deps.store.head('images_for_detection/renamed.jpg'))!;
    await detectObject(deps, event('images_for_detection/renamed.jpg', eTag));
    expect(deps.humanReview.loops.size).toBe(1);
    // other content gets its own loop
    await submitImage(deps, await makeJpeg(64, 48, 8), { maxResults: 5 });
    expect(deps.humanReview.loops.size).toBe(2);
  });

  it('records an audit of a confident detection with its reason', async () => {
    const { deps } = detectionFixture({ 'Enable-Human-Sampling': true, 'Human-Sampling-Rate': 1 });
    deps.modelService.labels.v1 = [{ name: 'cat', confidence: 97 }];
    const view = await submitImage(deps, await makeJpeg(), { maxResults: 5 });
    expect(view).toMatchObject({ passed: true, review: { reason: 'audit', outcome: 'opened' } });
    expect(deps.humanReview.loops.get(view.humanLoop!.name)).toMatchObject({ guess: { label: 'cat', confidence: 97 } });
  });

  it('stops opening new loops at the cap and records the images it did not capture', async () => {
    const { deps } = detectionFixture({ 'Minimum-Label-Detection-Confidence': 80 });
    const cap = countingCap(2);
    deps.reviewCap = cap;
    deps.modelService.labels.v1 = [{ name: 'cat', confidence: 10 }];
    const views = [];
    for (let seed = 1; seed <= 4; seed++) views.push(await submitImage(deps, await makeJpeg(64, 48, seed), { maxResults: 5 }));
    expect(views.map((v) => v.review?.outcome)).toEqual(['opened', 'opened', 'cap_reached', 'cap_reached']);
    expect(views[3]).toMatchObject({ humanLoop: null, review: { reason: 'low_confidence', note: 'not captured: cap reached' } });
    expect(deps.humanReview.loops.size).toBe(2);
    // content that already has a loop is no new work: it reuses the loop even at the cap
    expect((await submitImage(deps, await makeJpeg(64, 48, 1), { maxResults: 5 })).review).toEqual({ reason: 'low_confidence', outcome: 'reused' });
    // the operator is not capped
    const manual = await requestReview(deps, views[3]!.id);
    expect(manual).toMatchObject({ review: { reason: 'manual', outcome: 'opened' }, humanLoop: { name: expect.any(String) } });
    expect(cap.taken).toBe(2);
  });

  it('gives the slot back when the review service fails, so the failure costs no capacity', async () => {
    const { deps } = detectionFixture({ 'Minimum-Label-Detection-Confidence': 80 });
    const cap = countingCap(1);
    deps.reviewCap = cap;
    deps.modelService.labels.v1 = [{ name: 'cat', confidence: 10 }];
    const start = deps.humanReview.startHumanLoop.bind(deps.humanReview);
    deps.humanReview.startHumanLoop = async () => {
      throw new RelabelError('DEPENDENCY_UNAVAILABLE', 'review down');
    };
    await expect(submitImage(deps, await makeJpeg(), { maxResults: 5 })).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    expect(cap.taken).toBe(0);
    deps.humanReview.startHumanLoop = start;
    expect((await submitImage(deps, await makeJpeg(), { maxResults: 5 })).review?.outcome).toBe('opened');
  });
});

describe('requestReview (operator)', () => {
  it('sends a passed detection to review once, and answers the same on a repeat', async () => {
    const { deps } = detectionFixture();
    deps.modelService.labels.v1 = [{ name: 'cat', confidence: 99 }];
    const view = await submitImage(deps, await makeJpeg(), { maxResults: 5 });
    expect(view.humanLoop).toBeNull();
    const sent = await requestReview(deps, view.id);
    expect(sent).toMatchObject({ id: view.id, passed: true, review: { reason: 'manual', outcome: 'opened' } });
    expect(deps.humanReview.loops.get(sent.humanLoop!.name)).toMatchObject({ imageKey: view.imageKey, guess: { label: 'cat', confidence: 99 } });
    expect(await requestReview(deps, view.id)).toEqual(sent);
    expect(deps.humanReview.starts).toBe(1);
  });

  it('refuses unknown ids, skipped objects, deleted images and an image being detected', async () => {
    const { deps } = detectionFixture();
    await expect(requestReview(deps, 'bm9wZS5qcGc')).rejects.toMatchObject({ code: 'DETECTION_NOT_FOUND' });
    await expect(requestReview(deps, 'not!an id')).rejects.toMatchObject({ code: 'DETECTION_NOT_FOUND' });
    await deps.store.put('images_for_detection/notes.txt', Buffer.from('hello'));
    const skipped = await detectObject(deps, event('images_for_detection/notes.txt', (await deps.store.head('images_for_detection/notes.txt'))!.eTag));
    await expect(requestReview(deps, skipped.outcome === 'ignored' ? '' : skipped.id)).rejects.toMatchObject({ code: 'DETECTION_NOT_REVIEWABLE' });
    deps.modelService.labels.v1 = [{ name: 'cat', confidence: 99 }];
    const view = await submitImage(deps, await makeJpeg(), { maxResults: 5 });
    const release = await deps.locks.tryAcquire(view.imageKey);
    await expect(requestReview(deps, view.id)).rejects.toMatchObject({ code: 'DETECTION_IN_PROGRESS' });
    await release!();
    await deps.store.delete(view.imageKey);
    await expect(requestReview(deps, view.id)).rejects.toMatchObject({ code: 'DETECTION_NOT_REVIEWABLE' });
    expect(deps.humanReview.loops.size).toBe(0);
  });
});
