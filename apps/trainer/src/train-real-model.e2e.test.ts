import { tmpdir } from 'os';
import { join } from 'path';
import type { FastifyInstance } from 'fastify';
import { LOCAL_BUCKET } from '@relabel/platform';
import { testConfig, TEST_ADMIN_TOKEN } from '@relabel/platform/testing';
import { createFsObjectStore, createLocalModelService } from '@relabel/local-adapters';
import { makeSyntheticImages } from '@relabel/ports/testing';
import { silentLogger } from '@relabel/ports';
import { buildApp } from './app';
import type { TrainingRun } from './domain/training-run.schema';

// The converted backbone and embedding cache are shared with the model service's own tests.
const cacheDir = join(tmpdir(), 'relabel-model-cache');
jest.setTimeout(180_000);

const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

describe('trainer with the real local model service (local profile, real Redis)', () => {
  const config = testConfig();
  const store = createFsObjectStore({ root: config.bucketDir, bucket: LOCAL_BUCKET });
  const modelService = createLocalModelService({ store, logger: silentLogger }, { cacheDir, heartbeatMs: 500 });
  let app: FastifyInstance;

  afterAll(async () => {
    await app?.close();
    await modelService.close();
    await config.cleanup();
  });

  it('labelled images in → trained → gated → deployed live → detects held-out images', async () => {
    const labels = ['circle', 'square', 'star'];
    const images = await makeSyntheticImages({ labels, perLabel: 14, seed: 7 });
    const heldOut = images.filter((_, i) => i % 7 === 6);
    for (const image of images.filter((i) => !heldOut.includes(i))) await store.put(`images_labeled_by_folder/${image.label}/${image.file}`, image.body);
    await store.put('images_labeled_by_folder/circle/notes.txt', Buffer.from('skipped, not an image'));

    app = await buildApp({ config, logger: false, providers: { objectStore: store, modelService }, timing: { trainingPollMs: 500, startPollMs: 300 } });
    await app.ready();
    await app.providers.parameterStore.put('Minimum-F1-Score', '0.5');
    await app.parameters.refresh();
    const { id } = (await app.inject({ method: 'POST', url: '/trainings', headers: auth, payload: {} })).json();

    let run: TrainingRun | undefined;
    for (let i = 0; i < 600 && !['deployed', 'rejected', 'failed', 'skipped'].includes(run?.status ?? ''); i++) {
      await new Promise((r) => setTimeout(r, 250));
      run = (await app.inject({ url: `/trainings/${id}`, headers: auth })).json();
    }
    expect(run).toMatchObject({ status: 'deployed', dataset: { images: images.length - heldOut.length, skippedObjects: 1 } });
    expect(run!.gate!.challenger.evaluation.f1).toBeGreaterThanOrEqual(0.5);
    expect((await store.head(`manifests/${run!.version}/train.manifest`))?.size).toBeGreaterThan(0);

    const model = (await app.inject({ url: `/models/${run!.version}`, headers: auth })).json();
    expect(model).toMatchObject({ live: true, status: 'RUNNING', perLabel: expect.arrayContaining([expect.objectContaining({ label: 'star' })]) });
    expect(await app.providers.operationalState.get('activeModelVersion')).toBe(run!.version);

    let correct = 0;
    for (const image of heldOut) {
      const [top] = await modelService.detect(run!.version!, { bytes: image.body }, { maxResults: 1 });
      if (top?.name === image.label) correct += 1;
    }
    // Chance is one in three; the trained model must do clearly better on images it never saw.
    expect(correct / heldOut.length).toBeGreaterThan(0.6);
  });
});
