import { join } from 'path';
import { tmpdir } from 'os';
import { CONFIG_CHANGED_CHANNEL, PREFIX, detectionResultKey } from '@relabel/contracts';
import { createFsObjectStore, createLocalModelService } from '@relabel/local-adapters';
import { LOCAL_BUCKET } from '@relabel/platform';
import { testConfig } from '@relabel/platform/testing';
import { silentLogger } from '@relabel/ports';
import { makeSyntheticImages, waitForStatus, writeSyntheticDataset } from '@relabel/ports/testing';
import { buildApp } from './app';

// Shared with the model service's tests: the backbone is converted to ONNX once per machine.
const cacheDir = join(tmpdir(), 'relabel-model-cache');
jest.setTimeout(180_000);

describe('detector with the real local model, review service, stores and Redis', () => {
  const config = testConfig();
  const store = createFsObjectStore({ root: config.bucketDir, bucket: LOCAL_BUCKET });
  const modelService = createLocalModelService({ store, logger: silentLogger }, { cacheDir, heartbeatMs: 500 });
  let app: Awaited<ReturnType<typeof buildApp>>;

  afterAll(async () => {
    await app?.close();
    await modelService.close();
    await config.cleanup();
  });

  it('detects with the live model, routes low confidence to review, shows the answer, and detects dropped files', async () => {
    const labels = ['circle', 'square', 'star'];
    const data = await writeSyntheticDataset(store, { prefix: 'e2e', labels, train: 10, test: 4, seed: 11 });
    await modelService.createVersion({ version: 'e2e-v1', trainManifestKey: data.trainManifestKey, testManifestKey: data.testManifestKey });
    expect((await waitForStatus(modelService, 'e2e-v1', ['TRAINING_COMPLETED', 'TRAINING_FAILED'], 120_000)).status).toBe('TRAINING_COMPLETED');
    await modelService.startVersion('e2e-v1', 1);
    await waitForStatus(modelService, 'e2e-v1', ['RUNNING'], 60_000);

    app = await buildApp({ config, logger: false, providers: { objectStore: store, modelService } });
    await app.ready();
    const post = (body: Buffer) => app.inject({ method: 'POST', url: '/detect', payload: body, headers: { 'content-type': 'image/jpeg' } });

    // Before the pointer is set: no model yet, and the image still goes to review.
    const unseen = await makeSyntheticImages({ labels, perLabel: 3, seed: 4242, width: 640, height: 480, format: 'jpeg' });
    const early = (await post(unseen[0]!.body)).json();
    expect(early).toMatchObject({ status: 'no_model', modelVersion: null, humanLoop: { name: expect.any(String) } });

    await app.providers.operationalState.set('activeModelVersion', 'e2e-v1');
    await app.detection.activeModel.refresh();
    let correct = 0;
    for (const image of unseen) {
      const res = await post(image.body);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ status: 'ok', modelVersion: 'e2e-v1' });
      expect(body.labels.length).toBeGreaterThan(0);
      if (body.labels[0].name === image.label) correct++;
    }
    expect(correct / unseen.length).toBeGreaterThan(0.6);

    // A reviewer answers the loop of the image sent before the first model; GET shows the answer.
    await app.providers.reviewWorkbench!.submitAnswer(early.humanLoop.name, 'reviewer-1', unseen[0]!.label);
    const got = (await app.inject({ method: 'GET', url: `/detections/${early.id}` })).json();
    expect(got.humanLoop).toMatchObject({ name: early.humanLoop.name, status: 'completed', answer: { label: unseen[0]!.label } });

    // At 100 every top score strictly below goes to review. (The local model rounds to 0.001, so a
    // very sure answer can read exactly 100.000 and pass; see the README.)
    await app.providers.parameterStore.put('Minimum-Label-Detection-Confidence', '100');
    await app.publish(CONFIG_CHANGED_CHANNEL, { names: ['Minimum-Label-Detection-Confidence'], at: new Date().toISOString(), source: 'test' });
    await app.parameters.refresh();
    for (const image of unseen.slice(0, 3)) {
      const body = (await post(image.body)).json();
      const below = body.labels[0].confidence < 100;
      expect(body).toMatchObject({ threshold: 100, passed: !below });
      expect(body.humanLoop === null).toBe(!below);
    }

    // A file copied into the bucket folder is detected by the event path with the same model.
    await store.put(`${PREFIX.forDetection}dropped/one.jpg`, unseen[2]!.body);
    const resultKey = detectionResultKey(`${PREFIX.forDetection}dropped/one.jpg`);
    // Wait for the state asserted below (a notified result), not merely for the file to exist.
    const readResult = async () => {
      const object = await store.get(resultKey).catch(() => null);
      return object ? (JSON.parse(object.body.toString()) as { notified?: boolean }) : null;
    };
    const deadline = Date.now() + 30_000;
    let result = await readResult();
    while (!result?.notified && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      result = await readResult();
    }
    expect(result).toMatchObject({ status: 'ok', modelVersion: 'e2e-v1', source: 'event', threshold: 100, notified: true });
    expect((result as { labels: Array<{ name: string }> }).labels[0]!.name).toEqual(expect.any(String));
  });
});
