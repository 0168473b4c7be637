import type { FastifyInstance } from 'fastify';
import { detectionResultKey, isAuditSample, NONE_OF_THE_ABOVE } from '@relabel/contracts';
import { cleanupRedisPrefix, testConfig, TEST_ADMIN_TOKEN, TEST_REVIEWER_TOKEN } from '@relabel/platform/testing';
import type { Notification, Notifier, ObjectStore } from '@relabel/ports';
import { buildApp as buildConfigWatcher } from '../../apps/config-watcher/src/app';
import { buildApp as buildDetector } from '../../apps/detector/src/app';
import { makeJpeg } from '../../apps/detector/src/testing/image-fixtures';
import { buildApp as buildLabeler } from '../../apps/labeler/src/app';
import { buildApp as buildTrainer } from '../../apps/trainer/src/app';
import { evaluationWithF1, FixtureModelService } from '../../apps/trainer/src/testing/fixture-model-service';
import { eventually } from './testing/e2e-helpers';

jest.setTimeout(180_000);

const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const reviewer = { authorization: `Bearer ${TEST_REVIEWER_TOKEN}` };


interface Record {
  imageKey: string;
  eTag: string;
  modelVersion: string | null;
  humanLoop: { name: string } | null;
  review?: { reason: string; outcome: string };
  notified: boolean;
}

/**
 * Audit sampling through all four services on the local profile, with a scripted model (always
 * "cat" at 90 %, so every detection passes the threshold): audits open loops, answers become live
 * accuracy with its interval, disagreements join the training set, a bad version raises one drift
 * alarm, and the same bytes never open a second loop.
 */
describe('audit sampling, live accuracy and drift on the local profile', () => {
  const config = testConfig();
  const apps: FastifyInstance[] = [];
  const operatorNotes: Notification[] = [];
  const recordingNotifier: Notifier = { notify: async (n) => void (n.channel === 'operator' && operatorNotes.push(n)) };

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    await config.cleanup();
  });

  it('samples 1 in 5, measures live accuracy from the answers, alarms once on drift, reviews each content once', async () => {
    const models = new FixtureModelService({ trainingPolls: 0, startPolls: 0, outcome: () => evaluationWithF1(0.9), predict: () => 'cat' });
    models.seed('v1', 'RUNNING', evaluationWithF1(0.9));
    models.seed('v2', 'RUNNING', evaluationWithF1(0.9));
    const configWatcher = await buildConfigWatcher({ config, logger: false });
    const trainer = await buildTrainer({ config, logger: false, providers: { modelService: models } });
    const detector = await buildDetector({ config, logger: false, providers: { modelService: models } });
    const labeler = await buildLabeler({ config, logger: false, providers: { notifier: recordingNotifier } });
    apps.push(configWatcher, trainer, detector, labeler);
    await Promise.all(apps.map((a) => a.ready()));
    const pendingLoops = async () => (await labeler.inject({ url: '/api/human-loops?status=pending&limit=1000', headers: reviewer })).json().items as unknown[];
    const answer = (name: string, label: string) =>
      labeler.inject({ method: 'POST', url: `/api/human-loops/${name}/answers`, headers: reviewer, payload: { label } });
    const status = async () => (await configWatcher.inject({ url: '/status', headers: admin })).json();
    const store: ObjectStore = configWatcher.providers.objectStore;
    await configWatcher.providers.operationalState.set('activeModelVersion', 'v1');
    for (const label of ['cat', 'dog']) expect((await labeler.inject({ method: 'PUT', url: `/api/labels/${label}`, headers: admin })).statusCode).toBeLessThan(300);

    const put = (name: string, value: string) => configWatcher.inject({ method: 'PUT', url: `/parameters/${name}`, headers: admin, payload: { value } });
    expect((await put('Human-Sampling-Rate', '0')).statusCode).toBe(400);
    expect((await put('Enable-Human-Sampling', 'true')).statusCode).toBe(200);
    expect((await put('Human-Sampling-Rate', '5')).statusCode).toBe(200);
    await eventually('sampling to reach the detector', async () => detector.parameters.current()['Human-Sampling-Rate'] === 5 && detector.parameters.current()['Enable-Human-Sampling'], 10_000);

    // 1. 100 confident detections, dropped under fixed names: the audit sample is the same on every run.
    const keys = Array.from({ length: 100 }, (_, i) => `images_for_detection/shot-${String(i).padStart(3, '0')}.jpg`);
    for (const [i, key] of keys.entries()) await store.put(key, await makeJpeg(32, 32, i + 1));
    const records = await eventually('100 detections', async () => {
      const all = await Promise.all(keys.map((k) => readRecord(store, k)));
      return all.every((r) => r?.notified) ? (all as Record[]) : undefined;
    }, 120_000);
    const audits = records.filter((r) => r.review?.reason === 'audit');
    expect(audits.map((r) => r.imageKey)).toEqual(records.filter((r) => isAuditSample(r.imageKey, r.eTag, 5)).map((r) => r.imageKey));
    expect(audits.length).toBeGreaterThanOrEqual(8);
    expect(audits.length).toBeLessThanOrEqual(35);
    expect(records.filter((r) => r.humanLoop).length).toBe(audits.length);
    expect(await pendingLoops()).toHaveLength(audits.length);

    // 2. Reviewers confirm most; they disagree on three ("dog") and reject one (None of the Above).
    const disagree = audits.slice(0, 3);
    for (const [i, r] of audits.entries()) {
      const label = i < 3 ? 'dog' : i === 3 ? NONE_OF_THE_ABOVE : 'cat';
      expect((await answer(r.humanLoop!.name, label)).statusCode).toBeLessThan(300);
    }
    const v1 = await eventually('live accuracy of v1 over every audit', async () => {
      const s = await status();
      const found = s.liveAccuracy?.find((a: { version: string }) => a.version === 'v1');
      return found?.audits === audits.length ? found : undefined;
    });
    expect(v1).toMatchObject({ confirmed: audits.length - 4, perLabel: [{ label: 'cat', audits: audits.length }], drift: { alarm: false } });
    expect(v1.lower).toBeLessThan(v1.accuracy);
    expect(v1.upper).toBeGreaterThan(v1.accuracy);
    const model = (await trainer.inject({ url: '/models/v1', headers: admin })).json();
    expect(model.liveAccuracy).toEqual(v1);
    for (const r of disagree) {
      const file = r.imageKey.split('/').pop();
      expect(await store.head(`images_labeled_by_folder/dog/humanLoopName-${r.humanLoop!.name}-${file}`)).not.toBeNull();
    }
    expect(operatorNotes.filter((n) => n.type === 'model.drift')).toEqual([]);

    // 3. A worse model goes live and everything is audited; reviewers reject all of it: one alarm.
    await configWatcher.providers.operationalState.set('activeModelVersion', 'v2');
    expect((await put('Human-Sampling-Rate', '1')).statusCode).toBe(200);
    await eventually('rate 1 and v2 at the detector', async () => detector.parameters.current()['Human-Sampling-Rate'] === 1 && (await detector.detection.activeModel.current()) === 'v2', 10_000);
    const loopsBefore = (await pendingLoops()).length;
    const v2Loops: string[] = [];
    for (let i = 0; i < 24; i++) {
      const res = await detector.inject({ method: 'POST', url: '/detect', headers: { 'content-type': 'image/jpeg' }, payload: await makeJpeg(32, 32, 200 + i) });
      expect(res.json()).toMatchObject({ modelVersion: 'v2', passed: true, review: { reason: 'audit', outcome: 'opened' } });
      v2Loops.push(res.json().humanLoop.name);
    }
    for (const name of v2Loops) await answer(name, 'dog');
    await eventually('24 audits of v2 recorded', async () => (await status()).liveAccuracy?.find((a: { version: string }) => a.version === 'v2')?.audits === 24);
    const s = await status();
    expect(s.driftAlarms).toEqual([{ version: 'v2', message: expect.stringContaining('below Minimum-F1-Score 0.8') }]);
    expect(operatorNotes.filter((n) => n.type === 'model.drift').map((n) => n.data.version)).toEqual(['v2']);

    // 4. The same image posted five times opens one loop; the other four reuse it.
    const same = await makeJpeg(32, 32, 250);
    const posted = [];
    for (let i = 0; i < 5; i++) posted.push((await detector.inject({ method: 'POST', url: '/detect', headers: { 'content-type': 'image/jpeg' }, payload: same })).json());
    expect(new Set(posted.map((p) => p.imageKey)).size).toBe(5);
    expect(new Set(posted.map((p) => p.humanLoop.name)).size).toBe(1);
    expect(posted.map((p) => p.review.outcome)).toEqual(['opened', 'reused', 'reused', 'reused', 'reused']);
    expect(await pendingLoops()).toHaveLength(loopsBefore + 1);

    // 5. Live accuracy is durable state: losing every Redis key loses none of it.
    await cleanupRedisPrefix(config.keyPrefix);
    const after = await status();
    expect(after.liveAccuracy).toEqual(s.liveAccuracy);
    expect(after.driftAlarms.map((a: { version: string }) => a.version)).toEqual(['v2']);
  });

});

async function readRecord(store: ObjectStore, imageKey: string): Promise<Record | null> {
  const key = detectionResultKey(imageKey);
  if (!(await store.head(key))) return null;
  return JSON.parse((await store.get(key)).body.toString('utf8')) as Record;
}
