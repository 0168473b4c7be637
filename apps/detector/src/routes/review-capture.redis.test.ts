jest.setTimeout(30_000);

import { TEST_ADMIN_TOKEN } from '@relabel/platform/testing';
import { detectorTestApp } from '../testing/detector-app';
import { makeJpeg } from '../testing/image-fixtures';

const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

describe('review capture on real Redis and the local review service', () => {
  let t: Awaited<ReturnType<typeof detectorTestApp>>;
  afterEach(() => t.close());

  const post = (payload: Buffer) => t.app.inject({ method: 'POST', url: '/detect', payload, headers: { 'content-type': 'image/jpeg' } });
  const pendingLoops = async () => (await t.app.providers.humanReview.listHumanLoops({ status: 'pending' })).items;

  it('opens one loop for the same image posted five times at once, and the file dropped under another name joins it', async () => {
    t = await detectorTestApp({}, { localReview: true, events: true });
    t.modelService.labels.v1 = [{ name: 'cat', confidence: 30 }];
    const jpeg = await makeJpeg(64, 48, 3);
    const answers = (await Promise.all(Array.from({ length: 5 }, () => post(jpeg)))).map((r) => r.json());
    expect(answers.map((a) => a.review.reason)).toEqual(Array(5).fill('low_confidence'));
    expect(answers.filter((a) => a.review.outcome === 'opened')).toHaveLength(1);
    const [loop] = await pendingLoops();
    expect(answers.map((a) => a.humanLoop.name)).toEqual(Array(5).fill(loop!.name));
    await t.app.providers.objectStore.put('images_for_detection/same-bytes-other-name.jpg', jpeg);
    const dropped = await waitForRecord('detection_results/same-bytes-other-name.jpg.json');
    expect(dropped).toMatchObject({ humanLoop: { name: loop!.name }, review: { reason: 'low_confidence', outcome: 'reused' } });
    expect(await pendingLoops()).toHaveLength(1);
  });

  it('caps new loops per hour across requests, records what it did not capture, and lets the operator send one anyway', async () => {
    t = await detectorTestApp({ RELABEL_REVIEW_MAX_LOOPS_PER_HOUR: '2' }, { localReview: true });
    t.modelService.labels.v1 = [{ name: 'cat', confidence: 30 }];
    const answers = [];
    for (let seed = 10; seed < 14; seed++) answers.push((await post(await makeJpeg(64, 48, seed))).json());
    expect(answers.map((a) => a.review.outcome)).toEqual(['opened', 'opened', 'cap_reached', 'cap_reached']);
    expect(answers[2]).toMatchObject({ humanLoop: null, review: { note: 'not captured: cap reached' } });
    expect(await pendingLoops()).toHaveLength(2);

    const refused = await t.app.inject({ method: 'POST', url: `/detections/${answers[2].id}/review` });
    expect([refused.statusCode, refused.json().code]).toEqual([401, 'AUTH_REQUIRED']);
    const sent = await t.app.inject({ method: 'POST', url: `/detections/${answers[2].id}/review`, headers: admin });
    expect(sent.statusCode).toBe(200);
    expect(sent.json()).toMatchObject({ id: answers[2].id, review: { reason: 'manual', outcome: 'opened' } });
    expect(await pendingLoops()).toHaveLength(3);
    const got = (await t.app.inject({ url: `/detections/${answers[2].id}` })).json();
    expect(got).toMatchObject({ humanLoop: { name: sent.json().humanLoop.name, status: 'pending' }, review: { reason: 'manual' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/detections/bm9wZS5qcGc/review', headers: admin });
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'DETECTION_NOT_FOUND']);
    const metrics = (await t.app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/relabel_review_captures_total\{[^}]*reason="low_confidence",outcome="opened"[^}]*\} 2/);
    expect(metrics).toMatch(/relabel_review_captures_total\{[^}]*reason="low_confidence",outcome="cap_reached"[^}]*\} 2/);
    expect(metrics).toMatch(/relabel_review_captures_total\{[^}]*reason="manual",outcome="opened"[^}]*\} 1/);
  });

  it('audits confident detections at the sampling rate in force', async () => {
    t = await detectorTestApp({}, { localReview: true, parameters: { 'Enable-Human-Sampling': 'true', 'Human-Sampling-Rate': '1' } });
    t.modelService.labels.v1 = [{ name: 'cat', confidence: 99 }];
    const answer = (await post(await makeJpeg(64, 48, 20))).json();
    expect(answer).toMatchObject({ passed: true, review: { reason: 'audit', outcome: 'opened' } });
    expect((await pendingLoops()).map((l) => l.name)).toEqual([answer.humanLoop.name]);
  });

  async function waitForRecord(key: string): Promise<unknown> {
    for (;;) {
      const head = await t.app.providers.objectStore.head(key);
      if (head) {
        const record = JSON.parse((await t.app.providers.objectStore.get(key)).body.toString());
        if (record.notified) return record;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});
