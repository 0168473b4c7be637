import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { AUDITS_PREFIX, detectionResultKey, driftAlarmKey, NONE_OF_THE_ABOVE } from '@relabel/contracts';
import { createFsObjectStore } from '@relabel/local-adapters';
import { listAllObjects, silentLogger, type HumanLoop, type Notification, type ObjectStore } from '@relabel/ports';
import { recordAudit, RecordAuditDeps } from './record-audit.use-case';

describe('recordAudit', () => {
  let root: string;
  let store: ObjectStore;
  let loops: Map<string, HumanLoop>;
  let sent: Notification[];
  let claims: Set<string>;
  let deps: RecordAuditDeps;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'relabel-audit-'));
    store = createFsObjectStore({ root, bucket: 'bucket' });
    loops = new Map();
    sent = [];
    claims = new Set();
    deps = {
      store,
      humanReview: { describeHumanLoop: async (name) => loops.get(name) ?? null },
      notifier: { notify: async (n) => void sent.push(n) },
      guard: {
        claim: async (v) => !claims.has(v) && Boolean(claims.add(v)),
        release: async (v) => void claims.delete(v),
      },
      minimumF1Score: () => 0.8,
      logger: silentLogger,
    };
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  /** A detection the detector wrote, and the loop it opened for it. */
  async function detected(n: number, reason: string, version = 'v1', top = 'cat') {
    const imageKey = `images_for_detection/img-${n}.jpg`;
    const loop = `image-${String(n).padStart(4, '0')}`;
    loops.set(loop, { name: loop, imageKey, status: 'completed', guess: null, createdAt: new Date().toISOString() });
    const record = {
      id: 'x',
      imageKey,
      eTag: 'e',
      modelVersion: version,
      labels: [{ name: top, confidence: 95 }],
      humanLoop: { name: loop },
      review: { reason, outcome: 'opened' },
    };
    await store.put(detectionResultKey(imageKey), Buffer.from(JSON.stringify(record)));
    return loop;
  }
  const audits = async () => {
    const keys: string[] = [];
    for await (const o of listAllObjects(store, AUDITS_PREFIX)) keys.push(o.key);
    return keys;
  };

  it('turns an answered audit into a hit or a miss of the version, None of the Above being a miss', async () => {
    const hit = await recordAudit(deps, { loopName: await detected(1, 'audit'), label: 'cat' });
    expect(hit).toMatchObject({ audit: true, version: 'v1', hit: true, accuracy: { audits: 1, confirmed: 1 }, driftAlarm: null });
    const miss = await recordAudit(deps, { loopName: await detected(2, 'audit'), label: 'dog' });
    expect(miss).toMatchObject({ hit: false, accuracy: { audits: 2, confirmed: 1 } });
    const nota = await recordAudit(deps, { loopName: await detected(3, 'audit'), label: NONE_OF_THE_ABOVE });
    expect(nota).toMatchObject({ hit: false, accuracy: { audits: 3, confirmed: 1 } });
    // a replayed answer rewrites its own observation, it never counts twice
    expect(await recordAudit(deps, { loopName: 'image-0001', label: 'cat' })).toMatchObject({ accuracy: { audits: 3 } });
    expect(await audits()).toEqual([
      'labeler/audits/v1/cat/hit/image-0001.json',
      'labeler/audits/v1/cat/miss/image-0002.json',
      'labeler/audits/v1/cat/miss/image-0003.json',
    ]);
  });

  it('ignores loops that were not audits, whose record is gone, or whose record now belongs to another loop', async () => {
    expect(await recordAudit(deps, { loopName: await detected(1, 'low_confidence'), label: 'cat' })).toEqual({ audit: false });
    expect(await recordAudit(deps, { loopName: await detected(2, 'manual'), label: 'cat' })).toEqual({ audit: false });
    expect(await recordAudit(deps, { loopName: 'image-9999', label: 'cat' })).toEqual({ audit: false });
    const loop = await detected(3, 'audit');
    await store.delete(detectionResultKey('images_for_detection/img-3.jpg'));
    expect(await recordAudit(deps, { loopName: loop, label: 'cat' })).toEqual({ audit: false });
    loops.set('image-other', { ...loops.get(await detected(4, 'audit'))!, name: 'image-other' });
    expect(await recordAudit(deps, { loopName: 'image-other', label: 'cat' })).toEqual({ audit: false });
    expect(await audits()).toEqual([]);
  });

  it('raises the drift alarm of a version exactly once, at the 20th audit, and not for another version', async () => {
    const outcomes = [];
    for (let n = 0; n < 25; n++) outcomes.push((await recordAudit(deps, { loopName: await detected(n, 'audit'), label: 'dog' })) as { driftAlarm: string | null });
    expect(outcomes.map((o) => o.driftAlarm)).toEqual([...Array(19).fill(null), 'raised', ...Array(5).fill('already-raised')]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ channel: 'operator', type: 'model.drift', dedupeId: 'drift-v1', data: { version: 'v1', audits: 20, confirmed: 0 } });
    expect(sent[0]!.subject).toContain('Minimum-F1-Score 0.8');
    expect(await store.head(driftAlarmKey('v1'))).not.toBeNull();
    // the durable marker holds even when the Redis claim is gone (Redis flushed)
    claims.clear();
    await recordAudit(deps, { loopName: await detected(30, 'audit'), label: 'dog' });
    expect(sent).toHaveLength(1);
    expect(await recordAudit(deps, { loopName: await detected(40, 'audit', 'v2'), label: 'dog' })).toMatchObject({ version: 'v2', driftAlarm: null });
  });

  it('gives the claim back when the notification fails, so the retried job raises the alarm', async () => {
    for (let n = 0; n < 19; n++) await recordAudit(deps, { loopName: await detected(n, 'audit'), label: 'dog' });
    const loop = await detected(19, 'audit');
    deps.notifier = { notify: async () => Promise.reject(new Error('SNS down')) };
    await expect(recordAudit(deps, { loopName: loop, label: 'dog' })).rejects.toThrow('SNS down');
    expect(await store.head(driftAlarmKey('v1'))).toBeNull();
    deps.notifier = { notify: async (n) => void sent.push(n) };
    expect(await recordAudit(deps, { loopName: loop, label: 'dog' })).toMatchObject({ driftAlarm: 'raised' });
    expect(sent).toHaveLength(1);
  });
});
