import { evaluationSummaryKey, groundTruthClassificationLine } from '@relabel/contracts';
import type { ModelVersionInfo } from '@relabel/ports';
import type { TrainingRun } from '../domain/training-run.schema';
import { evaluationWithF1 } from '../testing/fixture-model-service';
import { trainerHarness } from '../testing/trainer-harness';
import { gateVersion } from './gate-version.use-case';

const TEST_MANIFEST = 'manifests/r1/test.manifest';

function setup(options: { live?: string; predict?: (version: string, key: string) => string | null } = {}) {
  const h = trainerHarness({ trainingPolls: 0, startPolls: 0, outcome: () => evaluationWithF1(1), predict: options.predict });
  const run: TrainingRun = {
    id: 'r1',
    kind: 'training',
    trigger: 'api',
    force: false,
    status: 'training',
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    version: 'r1',
    manifests: { train: 'manifests/r1/train.manifest', test: TEST_MANIFEST },
    dataset: { fingerprint: 'fp', images: 10, trainImages: 8, testImages: 2, labels: [], excludedLabels: [], skippedObjects: 0, skippedSamples: [] },
    steps: [],
  };
  const trained = (f1: number): ModelVersionInfo => ({ version: 'r1', status: 'TRAINING_COMPLETED', createdAt: run.createdAt, evaluation: evaluationWithF1(f1) });
  return { h, run, trained };
}

describe('gateVersion (flow B.5)', () => {
  it('queues the deployment of a version at or above Minimum-F1-Score and keeps its evaluation summary', async () => {
    const { h, run, trained } = setup();
    const gated = await gateVersion(h.deps, await h.deps.runs.put(run, new Date()), trained(0.8));
    expect(gated).toMatchObject({ status: 'deploying', gate: { passed: true, minimumF1: 0.8 }, pendingJob: { name: 'deploy' } });
    expect(gated.steps.map((s) => `${s.name}:${s.status}`)).toEqual(['gate:done']);
    expect(h.queue.map((j) => j.name)).toEqual(['deploy']);
    expect(JSON.parse((await h.store.get(evaluationSummaryKey('r1'))).body.toString())).toMatchObject({ version: 'r1', f1: 0.8 });
  });

  it('rejects a version below the minimum in force when the gate runs, remembers the dataset and tells the operator', async () => {
    const { h, run, trained } = setup();
    h.setParameters({ 'Minimum-F1-Score': 0.9 });
    const gated = await gateVersion(h.deps, await h.deps.runs.put(run, new Date()), trained(0.85));
    expect(gated).toMatchObject({ status: 'rejected', reason: 'F1 0.850 is below Minimum-F1-Score 0.900', gate: { passed: false, minimumF1: 0.9 } });
    expect(h.queue).toEqual([]);
    expect(await h.deps.runs.datasetOutcome('fp')).toMatchObject({ outcome: 'rejected', runId: 'r1' });
    expect(h.notifier.sent.at(-1)).toMatchObject({ type: 'training.rejected', data: { gate: expect.objectContaining({ passed: false }) } });
  });

  it('scores the live model on the same test images, and gates on even when it cannot answer', async () => {
    const { h, run, trained } = setup({ predict: (_version, key) => (key.includes('cat') ? 'cat' : 'dog') });
    h.models.seed('v0', 'RUNNING');
    await h.state.set('activeModelVersion', 'v0');
    const lines = ['cat', 'dog'].map((label, classId) =>
      groundTruthClassificationLine({ bucket: 'b', key: `images_labeled_by_folder/${label}/${label}-1.jpg`, label, classId, creationDate: run.createdAt, jobName: 'labeling-job/relabel-r1' }),
    );
    await h.store.put(TEST_MANIFEST, Buffer.from(lines.join('\n')));
    const scored = await gateVersion(h.deps, await h.deps.runs.put(run, new Date()), trained(0.9));
    expect(scored.gate).toMatchObject({ passed: true, champion: { version: 'v0', evaluation: { f1: 1, testImages: 2 } } });

    await h.store.delete(TEST_MANIFEST);
    const unscored = await gateVersion(h.deps, await h.deps.runs.put({ ...run, id: 'r2', version: 'r1', steps: [] }, new Date()), trained(0.9));
    expect(unscored.gate).toMatchObject({ passed: true, champion: { version: 'v0', error: expect.any(String) } });
  });

  it('fails the run when the model service reported no evaluation', async () => {
    const { h, run, trained } = setup();
    const { evaluation: _none, ...info } = trained(1);
    const failed = await gateVersion(h.deps, await h.deps.runs.put(run, new Date()), info);
    expect(failed).toMatchObject({ status: 'failed', reason: expect.stringContaining('no evaluation') });
  });
});
