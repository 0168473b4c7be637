import { Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import IORedis from 'ioredis';
import { QUEUES } from '@relabel/contracts';
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
      unavailable: [],
    });
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
