import { auditOutcomeKey, manifestKey } from '@relabel/contracts';
import { evaluationWithF1 } from '../testing/fixture-model-service';
import { trainerHarness } from '../testing/trainer-harness';
import { getModel, listModels } from './query-models.use-case';
import { getRun, listRuns } from './query-runs.use-case';
import { requestTraining } from './request-training.use-case';

const script = () => ({ trainingPolls: 2, startPolls: 2, outcome: () => evaluationWithF1(0.9) });

async function trainOnce(h: ReturnType<typeof trainerHarness>, force = false) {
  const { id } = await requestTraining(h.deps, { force, requestedBy: 'olivia' });
  await h.drain();
  return getRun(h.deps, id);
}

describe('training flow (fixture model service)', () => {
  it('trains, gates, deploys blue/green and records every step', async () => {
    const h = trainerHarness(script());
    await h.addImages('cat', 10);
    await h.addImages('dog', 10);
    await h.store.put('images_labeled_by_folder/dog/readme.txt', Buffer.from('not an image'));
    const run = await trainOnce(h);

    expect(run.status).toBe('deployed');
    expect(run.requestedBy).toBe('olivia');
    expect(run.version).toBe(run.id);
    expect(run.steps.map((s) => `${s.name}:${s.status}`)).toEqual(['check:done', 'snapshot:done', 'create-version:done', 'train:done', 'gate:done', 'start:done', 'switch:done', 'stop-others:done']);
    expect(run.dataset).toMatchObject({ images: 20, skippedObjects: 1, skippedSamples: [{ key: 'images_labeled_by_folder/dog/readme.txt', reason: 'not a JPEG or PNG image' }] });
    expect(run.dataset!.trainImages + run.dataset!.testImages).toBe(20);
    expect(run.gate).toMatchObject({ passed: true, minimumF1: 0.8, challenger: { version: run.id } });
    expect(h.store.text(manifestKey(run.id, 'train')).trim().split('\n')).toHaveLength(run.dataset!.trainImages);
    expect(h.store.text(manifestKey(run.id, 'test')).trim().split('\n')).toHaveLength(run.dataset!.testImages);
    expect(h.state.values).toMatchObject({ activeModelVersion: run.id, lastDeployedDatasetImages: 20, versionsInFlight: [] });
    expect(h.models.started).toEqual([{ version: run.id, units: 1 }]);
    expect(h.published).toEqual([expect.objectContaining({ version: run.id, previousVersion: null })]);
    expect(h.notifier.types()).toEqual(['training.started', 'training.deployed']);
    expect(h.lock.owner).toBeNull();
    const view = await getModel(h.deps, run.id);
    expect(view).toMatchObject({ live: true, status: 'RUNNING', datasetImages: 20, f1: 0.9, runStatus: 'deployed' });
    expect(view.perLabel).toHaveLength(2);
    expect(view.liveAccuracy).toBeUndefined();
    // answered audits of the live version (written by the labeler) show as its live accuracy
    for (let i = 0; i < 5; i++) await h.store.put(auditOutcomeKey({ version: run.id, predicted: 'cat', hit: i < 4, loop: `image-${i}` }), Buffer.from('{}'));
    await h.store.put(auditOutcomeKey({ version: 'other', predicted: 'cat', hit: false, loop: 'image-9' }), Buffer.from('{}'));
    const audited = await getModel(h.deps, run.id);
    expect(audited.liveAccuracy).toMatchObject({ version: run.id, audits: 5, confirmed: 4, accuracy: 0.8, perLabel: [{ label: 'cat', audits: 5 }], drift: { alarm: false } });
    expect(audited.liveAccuracy!.lower).toBeLessThan(0.8);
    expect(audited.liveAccuracy!.upper).toBeGreaterThan(0.8);
  });

  it('records a skip with its reason when too few new images arrived', async () => {
    const h = trainerHarness(script());
    await h.addImages('cat', 4);
    await h.addImages('dog', 4);
    const run = await trainOnce(h);
    expect(run).toMatchObject({ status: 'skipped', untrainedImages: 8, reason: expect.stringContaining('Minimum-Untrained-Images (10)') });
    expect(h.models.created).toHaveLength(0);
    expect((await listRuns(h.deps, 10)).map((r) => r.id)).toEqual([run.id]);
  });

  it('needs two labels with enough images, and reports the ones left out', async () => {
    const h = trainerHarness(script());
    await h.addImages('cat', 12);
    await h.addImages('rare', 1);
    const run = await trainOnce(h);
    expect(run.status).toBe('skipped');
    expect(run.reason).toContain('two labels');
    expect(run.dataset!.excludedLabels).toEqual([{ label: 'rare', images: 1, reason: expect.stringContaining('at least 2') }]);
  });

  it('rejects below Minimum-F1-Score, keeps the live model, and does not retrain the same data', async () => {
    const h = trainerHarness(script());
    await h.addImages('cat', 10);
    await h.addImages('dog', 10);
    const first = await trainOnce(h);
    h.models.script.outcome = () => evaluationWithF1(0.95);
    h.models.script.predict = (_v, key) => (key.includes('/cat/') ? 'cat' : 'cat');
    h.setParameters({ 'Minimum-F1-Score': 1 });
    const forced = await trainOnce(h, true);

    expect(forced.status).toBe('rejected');
    expect(forced.reason).toBe('F1 0.950 is below Minimum-F1-Score 1.000');
    expect(forced.gate!.champion).toMatchObject({ version: first.id, evaluation: { perLabel: expect.any(Array) } });
    expect(forced.gate!.champion!.evaluation!.f1).toBeLessThan(1);
    expect(h.state.values.activeModelVersion).toBe(first.id);
    expect(h.models.status(first.id)).toBe('RUNNING');
    expect(h.notifier.sent.at(-1)).toMatchObject({ type: 'training.rejected', data: { reason: forced.reason, gate: expect.objectContaining({ passed: false }) } });
    expect((await getModel(h.deps, forced.id)).rejectedReason).toBe(forced.reason);

    const again = await trainOnce(h, true);
    expect(again).toMatchObject({ status: 'skipped', reason: expect.stringContaining('already rejected') });
    const poll = await trainOnce(h);
    expect(poll.status).toBe('skipped');
    expect(h.models.created).toHaveLength(2);
  });

  it('remembers a failed training and trains again once new images arrive', async () => {
    const h = trainerHarness({ ...script(), outcome: () => 'fail' });
    await h.addImages('cat', 10);
    await h.addImages('dog', 10);
    const failed = await trainOnce(h);
    expect(failed).toMatchObject({ status: 'failed', reason: 'training failed: fixture training failure', version: `${failed.id}-2` });
    expect(failed.retriedVersions).toEqual([{ version: failed.id, reason: 'training failed: fixture training failure' }]);
    expect(h.models.created.map((c) => c.version)).toEqual([failed.id, `${failed.id}-2`]);
    expect(h.notifier.types().filter((t) => t !== 'training.started')).toEqual(['training.failed']);
    expect(await trainOnce(h)).toMatchObject({ status: 'skipped', reason: expect.stringContaining('already failed') });
    h.models.script.outcome = () => evaluationWithF1(0.9);
    await h.addImages('dog', 1, 100);
    expect((await trainOnce(h)).status).toBe('deployed');
  });

  it('retries a failed training once under a new version inside the same run', async () => {
    const h = trainerHarness(script());
    let failures = 1;
    h.models.script.outcome = () => (failures-- > 0 ? 'fail' : evaluationWithF1(0.9));
    await h.addImages('cat', 10);
    await h.addImages('dog', 10);
    const run = await trainOnce(h);
    expect(run).toMatchObject({ status: 'deployed', version: `${run.id}-2` });
    expect(h.store.text(manifestKey(`${run.id}-2`, 'test'))).toBe(h.store.text(manifestKey(run.id, 'test')));
    expect(h.state.values).toMatchObject({ activeModelVersion: `${run.id}-2`, versionsInFlight: [] });
    expect(await getModel(h.deps, run.id)).toMatchObject({ status: 'TRAINING_FAILED', runId: run.id, failedReason: expect.stringContaining('fixture training failure') });
    expect(await getModel(h.deps, `${run.id}-2`)).toMatchObject({ live: true, runId: run.id, datasetImages: 20 });
  });

  it('a failed start leaves the live model serving', async () => {
    const h = trainerHarness(script());
    await h.addImages('cat', 10);
    await h.addImages('dog', 10);
    const first = await trainOnce(h);
    h.models.script.startFails = () => true;
    await h.addImages('cat', 10, 100);
    const second = await trainOnce(h);
    expect(second).toMatchObject({ status: 'failed', reason: expect.stringContaining('failed to start') });
    expect(h.state.values).toMatchObject({ activeModelVersion: first.id, lastDeployedDatasetImages: 20, versionsInFlight: [] });
    expect(h.models.status(first.id)).toBe('RUNNING');
    expect(h.notifier.sent.at(-1)).toMatchObject({ type: 'training.failed', subject: expect.stringContaining('live model keeps serving') });
    expect(h.lock.owner).toBeNull();
  });

  it('deploys a second version, evaluates the champion and stops the old version', async () => {
    const h = trainerHarness({ ...script(), predict: (_v, key) => (key.includes('/cat/') ? 'cat' : 'dog') });
    await h.addImages('cat', 10);
    await h.addImages('dog', 10);
    const first = await trainOnce(h);
    await h.addImages('dog', 10, 100);
    const second = await trainOnce(h);
    expect(second.status).toBe('deployed');
    expect(second.gate!.champion).toMatchObject({ version: first.id, evaluation: { f1: 1 } });
    expect(second.deployment).toMatchObject({ previousVersion: first.id, stoppedVersions: [first.id] });
    expect(h.models.status(first.id)).toBe('STOPPED');
    const models = await listModels(h.deps);
    expect(models.map((m) => [m.version, m.live])).toEqual(expect.arrayContaining([[first.id, false], [second.id, true]]));
  });

  it('two checks at the same moment start one training', async () => {
    const h = trainerHarness(script());
    await h.addImages('cat', 10);
    await h.addImages('dog', 10);
    const a = await requestTraining(h.deps, { force: false, requestedBy: 'olivia' });
    const b = await requestTraining(h.deps, { force: false, requestedBy: 'olivia' });
    await h.drain();
    const runs = await Promise.all([getRun(h.deps, a.id), getRun(h.deps, b.id)]);
    expect(runs.map((r) => r.status).sort()).toEqual(['deployed', 'skipped']);
    expect(runs.find((r) => r.status === 'skipped')!.reason).toMatch(/in flight|already produced/);
    expect(h.models.created).toHaveLength(1);
  });

  it('a dataset the model service refuses is failed and remembered', async () => {
    const h = trainerHarness({ ...script(), refuseDataset: true });
    await h.addImages('cat', 10);
    await h.addImages('dog', 10);
    const run = await trainOnce(h);
    expect(run).toMatchObject({ status: 'failed', reason: expect.stringContaining('refused the dataset') });
    expect(h.lock.owner).toBeNull();
    expect(h.state.values.versionsInFlight).toEqual([]);
    expect(await h.deps.runs.datasetOutcome(run.dataset!.fingerprint)).toMatchObject({ outcome: 'failed' });
  });
});
