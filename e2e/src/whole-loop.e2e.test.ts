import { tmpdir } from 'os';
import path from 'path';
import sharp from 'sharp';
import type { FastifyInstance } from 'fastify';
import { HUMAN_LOOP_NAME_PATTERN } from '@relabel/contracts';
import { testConfig, TEST_ADMIN_TOKEN, TEST_REVIEWER_TOKEN } from '@relabel/platform/testing';
import { createLocalModelService } from '@relabel/local-adapters';
import { makeSyntheticImages } from '@relabel/ports/testing';
import { silentLogger, type ObjectStore } from '@relabel/ports';
import { buildApp as buildConfigWatcher } from '../../apps/config-watcher/src/app';
import { buildApp as buildDetector } from '../../apps/detector/src/app';
import { buildApp as buildLabeler } from '../../apps/labeler/src/app';
import { buildApp as buildTrainer } from '../../apps/trainer/src/app';
import { eventually } from './testing/e2e-helpers';

jest.setTimeout(240_000);

const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const reviewer = { authorization: `Bearer ${TEST_REVIEWER_TOKEN}` };
// The converted backbone is shared with the model service's own tests so it is converted once.
const cacheDir = path.join(tmpdir(), 'relabel-model-cache');

interface Detection {
  id: string;
  imageKey: string;
  modelVersion: string | null;
  labels: Array<{ name: string; confidence: number }>;
  threshold: number;
  passed: boolean;
  humanLoop: { name: string } | null;
  status: string;
}

describe('the whole loop on the local profile', () => {
  const config = testConfig();
  const apps: FastifyInstance[] = [];
  const models: Array<{ close(): Promise<void> }> = [];

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    for (const m of models) await m.close();
    await config.cleanup();
  });

  /** Each service gets its own model service instance, as its own process would. */
  function modelService(objectStore: ObjectStore) {
    const service = createLocalModelService({ store: objectStore, logger: silentLogger }, { cacheDir });
    models.push(service);
    return service;
  }

  it('labels → train → gate → deploy → detect → review → label → untrained count rises', async () => {
    const configWatcher = await buildConfigWatcher({ config, logger: false });
    apps.push(configWatcher);
    await configWatcher.ready();
    const store = configWatcher.providers.objectStore;

    // 1. The operator's training set: three labels, folders named after them.
    const images = await makeSyntheticImages({ labels: ['circle', 'square', 'star'], perLabel: 12, seed: 21 });
    const probe = images.filter((_, i) => i % 12 === 11);
    const training = images.filter((i) => !probe.includes(i));
    for (const image of training) await store.put(`images_labeled_by_folder/${image.label}/${image.file}`, image.body);

    const trainer = await buildTrainer({
      config,
      logger: false,
      providers: { modelService: modelService(store) },
      timing: { trainingPollMs: 300, startPollMs: 200 },
    });
    const detector = await buildDetector({ config, logger: false, providers: { modelService: modelService(store) } });
    const labeler = await buildLabeler({ config, logger: false });
    apps.push(trainer, detector, labeler);
    await Promise.all([trainer.ready(), detector.ready(), labeler.ready()]);

    // 2. Steer through the admin API: a reachable F1 bar, and every detection goes to review.
    const put = (name: string, value: string) =>
      configWatcher.inject({ method: 'PUT', url: `/parameters/${name}`, headers: admin, payload: { value } });
    expect((await put('Minimum-F1-Score', '1.5')).statusCode).toBe(400);
    expect((await put('Minimum-F1-Score', '0.5')).statusCode).toBe(200);
    expect((await put('Minimum-Label-Detection-Confidence', '100')).statusCode).toBe(200);
    await eventually('the parameters to reach the trainer and detector', async () =>
      trainer.parameters.current()['Minimum-F1-Score'] === 0.5 && detector.parameters.current()['Minimum-Label-Detection-Confidence'] === 100,
    10_000);

    // 3. Train now, gate, deploy blue/green.
    const started = await trainer.inject({ method: 'POST', url: '/trainings', headers: admin, payload: { force: true } });
    expect(started.statusCode).toBe(202);
    const run = await eventually('the training run to finish', async () => {
      const r = (await trainer.inject({ url: `/trainings/${started.json().id}`, headers: admin })).json();
      return ['deployed', 'rejected', 'failed', 'skipped'].includes(r.status) ? r : undefined;
    }, 180_000);
    expect(run.status).toBe('deployed');
    const version: string = run.version;
    const model = (await trainer.inject({ url: `/models/${version}`, headers: admin })).json();
    expect(model).toMatchObject({ live: true, status: 'RUNNING' });
    expect(model.f1).toBeGreaterThanOrEqual(0.5);

    // 4. A consumer detects images the model never saw; the live version answers. Easy synthetic
    //    shapes can score a rounded 100 (which is not "strictly below" the threshold), so noise
    //    images are in the mix to be sure one goes to review.
    const noise = await Promise.all(
      [1, 2, 3].map((seed) =>
        sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 40 * seed, g: 90, b: 160 }, noise: { type: 'gaussian', mean: 120, sigma: 30 * seed } } })
          .jpeg()
          .toBuffer(),
      ),
    );
    const candidates = [...probe.map((i) => i.body), ...noise];
    const detections: Detection[] = [];
    for (const body of candidates) {
      const res = await eventually('the detector to follow the new live version', async () => {
        const r = (await detector.inject({ method: 'POST', url: '/detect', headers: { 'content-type': 'image/jpeg' }, payload: body })).json<Detection>();
        return r.status === 'ok' ? r : undefined;
      }, 15_000);
      detections.push(res);
    }
    for (const d of detections) {
      expect(d).toMatchObject({ modelVersion: version, threshold: 100 });
      expect(d.passed).toBe(d.labels[0]!.confidence >= 100);
      expect(d.humanLoop === null).toBe(d.passed);
    }
    const detected = detections.find((d) => !d.passed)!;
    expect(detected).toBeDefined();
    expect(detected.labels.length).toBeGreaterThan(0);
    expect(detected.humanLoop?.name).toMatch(new RegExp(HUMAN_LOOP_NAME_PATTERN));
    expect(await store.head(`detection_results/${detected.imageKey.replace('images_for_detection/', '')}.json`)).not.toBeNull();

    // A file dropped into the folder by hand takes the event path to the same result.
    const dropped = probe.find((i) => i.label === 'circle')!;
    await store.put('images_for_detection/dropped-by-hand.jpg', dropped.body);
    await eventually('the dropped file to be detected', () => store.head('detection_results/dropped-by-hand.jpg.json'), 30_000);

    // 5. The loop shows up for reviewers; a reviewer answers "star".
    const loopName: string = detected.humanLoop!.name;
    const pending = (await labeler.inject({ url: '/api/human-loops?status=pending', headers: reviewer })).json();
    expect(JSON.stringify(pending)).toContain(loopName);
    const answered = await labeler.inject({ method: 'POST', url: `/api/human-loops/${loopName}/answers`, headers: reviewer, payload: { label: 'star' } });
    expect(answered.statusCode).toBeLessThan(300);

    // 6. The output.json is ingested: the image joins the training set under its label.
    const file = detected.imageKey.split('/').pop();
    const labelled = `images_labeled_by_folder/star/humanLoopName-${loopName}-${file}`;
    await eventually('the reviewed image to join the training set', () => store.head(labelled), 30_000);

    // 7. The consumer sees the human answer, and the operator sees one untrained image.
    await eventually('the detection record to show the human answer', async () => {
      const rec = (await detector.inject({ url: `/detections/${detected.id}` })).json();
      return rec.humanLoop?.answer?.label === 'star';
    }, 10_000);
    const status = (await configWatcher.inject({ url: '/status', headers: admin })).json();
    expect(status.untrainedImages).toMatchObject({ labelled: training.length + 1, lastDeployedDataset: training.length, untrained: 1 });
    expect(status.activeModel?.version ?? status.activeModel).toBe(version);
  });
});
