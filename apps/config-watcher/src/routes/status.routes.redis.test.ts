import { Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import IORedis from 'ioredis';
import { auditOutcomeKey, QUEUES } from '@relabel/contracts';
import { makeSyntheticImages } from '@relabel/ports/testing';
import { TEST_ADMIN_TOKEN, TEST_REDIS_URL, testConfig } from '@relabel/platform/testing';
import { buildApp } from '../app';

describe('GET /status (real local adapters, real Redis)', () => {
  let config: ReturnType<typeof testConfig>;
  let app: FastifyInstance;
  beforeEach(async () => {
    config = testConfig();
    app = await buildApp({ config, logger: false });
    await app.ready();
  });
  afterEach(async () => {
    for (const q of Object.values(QUEUES)) await app.queues.get(q).queue.obliterate({ force: true });
    await app.close();
    await config.cleanup();
  });

  const status = async () => {
    const res = await app.inject({ method: 'GET', url: '/status', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  it('answers an empty system without errors', async () => {
    expect(await status()).toMatchObject({
      activeModel: null,
      versionsInFlight: [],
      untrainedImages: { labelled: 0, lastDeployedDataset: 0, untrained: 0, skipped: 0 },
      pendingHumanLoops: { count: 0, truncated: false },
      invalidParameters: [],
      parameterStore: { readable: true },
      liveAccuracy: [],
      driftAlarms: [],
      unavailable: [],
    });
  });

  it('shows live accuracy per version and label from the audits in the bucket, and the versions that drift', async () => {
    const audit = (version: string, predicted: string, hit: boolean, n: number) =>
      app.providers.objectStore.put(auditOutcomeKey({ version, predicted, hit, loop: `image-${version}-${n}` }), Buffer.from('{}'));
    for (let n = 0; n < 10; n++) await audit('v1', n < 5 ? 'cat' : 'dog', n !== 9, n);
    for (let n = 0; n < 20; n++) await audit('v2', 'cat', n < 2, n);
    const s = await status();
    const [v1, v2] = s.liveAccuracy;
    expect(v1).toMatchObject({ version: 'v1', audits: 10, confirmed: 9, accuracy: 0.9, drift: { alarm: false, minimumF1Score: 0.8, minimumAudits: 20 } });
    expect(v1.perLabel).toEqual([
      expect.objectContaining({ label: 'cat', audits: 5, confirmed: 5, accuracy: 1 }),
      expect.objectContaining({ label: 'dog', audits: 5, confirmed: 4, accuracy: 0.8 }),
    ]);
    expect(v1.lower).toBeCloseTo(0.5958, 3);
    expect(v1.upper).toBeCloseTo(0.9821, 3);
    expect(v2).toMatchObject({ version: 'v2', audits: 20, confirmed: 2, drift: { alarm: true } });
    expect(s.driftAlarms).toEqual([{ version: 'v2', message: expect.stringContaining('below Minimum-F1-Score 0.8') }]);
  });

  it('reports the live model, versions in flight, untrained images, pending loops, queue depths and failed jobs', async () => {
    const { objectStore, operationalState, humanReview } = app.providers;
    const images = await makeSyntheticImages({ labels: ['circle', 'square'], perLabel: 3, seed: 7, width: 64, height: 64 });
    for (const image of images) await objectStore.put(`images_labeled_by_folder/${image.label}/${image.file}`, image.body);
    await objectStore.put('images_labeled_by_folder/circle/notes.txt', Buffer.from('not an image'));
    await objectStore.put('images_labeled_by_folder/stray.jpg', images[0]!.body);
    await operationalState.set('activeModelVersion', 'v2');
    await operationalState.set('versionsInFlight', ['v3']);
    await operationalState.set('lastDeployedDatasetImages', 4);
    await humanReview.startHumanLoop({ name: 'loop-a', imageKey: 'images_for_detection/a.jpg', guess: null });
    const training = app.queues.get(QUEUES.training);
    await training.add('check', { runId: 'r1', force: false, trigger: 'api' }, { delay: 60_000 });
    await training.add('deploy', { version: 'v9', requestId: 'q1' }, { attempts: 1 });
    // a real worker failing the job, as the trainer's would
    const connection = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const worker = new Worker(QUEUES.training, async () => {
      throw new Error('start failed: no capacity');
    }, { connection, prefix: config.keyPrefix });
    await new Promise((resolve) => worker.once('failed', resolve));
    await worker.close();
    connection.disconnect();

    const s = await status();
    expect(s).toMatchObject({
      activeModel: 'v2',
      versionsInFlight: ['v3'],
      untrainedImages: { labelled: 6, lastDeployedDataset: 4, untrained: 2, skipped: 2 },
      pendingHumanLoops: { count: 1, truncated: false },
    });
    expect(s.queues[QUEUES.training]).toMatchObject({ delayed: 1, failed: 1 });
    expect(s.queues[QUEUES.detection]).toMatchObject({ waiting: 0, active: 0 });
    expect(s.lastErrors).toEqual([expect.objectContaining({ source: expect.stringContaining('deploy'), message: 'start failed: no capacity' })]);
  });
});
