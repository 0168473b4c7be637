import { tmpdir } from 'os';
import path from 'path';
import sharp from 'sharp';
import type { FastifyInstance } from 'fastify';
import { testConfig, TEST_ADMIN_TOKEN, TEST_REVIEWER_TOKEN } from '@relabel/platform/testing';
import { createLocalModelService } from '@relabel/local-adapters';
import { makeSyntheticImages } from '@relabel/ports/testing';
import { silentLogger, type ObjectStore } from '@relabel/ports';
import { startWireAws, type WireAws } from '../../libs/shared/aws/src/testing/wire-aws';
import { eventually } from './testing/e2e-helpers';
import { buildApp as buildConfigWatcher } from '../../apps/config-watcher/src/app';
import { buildApp as buildDetector } from '../../apps/detector/src/app';
import { buildApp as buildLabeler } from '../../apps/labeler/src/app';
import { buildApp as buildTrainer } from '../../apps/trainer/src/app';

jest.setTimeout(240_000);

const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const reviewer = { authorization: `Bearer ${TEST_REVIEWER_TOKEN}` };
// The converted backbone is shared with the model service's own tests so it is converted once.
const cacheDir = path.join(tmpdir(), 'relabel-model-cache');
const BUCKET = 'relabel-wire';

/**
 * The loop with S3, SQS and SNS on the wire (fauxqs in this process) and the local model, local
 * review and file parameters — the mix a team moving to ECS starts with. Bucket notifications are
 * what AWS would send (fauxqs has none): the harness announces each created object on the queue of
 * its prefix, in the three shapes in turn.
 */
describe('the whole loop over S3 + SQS + SNS (fauxqs)', () => {
  let wire: WireAws;
  let config: ReturnType<typeof testConfig>;
  const apps: FastifyInstance[] = [];
  const models: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    wire = await startWireAws();
    wire.bucket(BUCKET);
    const detectionQueue = wire.queue('relabel-detection-events', { VisibilityTimeout: '30' });
    const reviewQueue = wire.queue('relabel-review-events', { VisibilityTimeout: '30' });
    wire.notifyObjectsCreated(BUCKET, [
      { prefix: 'images_for_detection/', queueUrl: detectionQueue },
      { prefix: 'a2i-human-loop-data/', queueUrl: reviewQueue },
    ]);
    config = testConfig({
      RELABEL_OBJECT_STORE: 's3',
      RELABEL_EVENTS: 'sqs',
      RELABEL_NOTIFIER: 'sns',
      RELABEL_OPERATIONAL_STATE: 'object-store',
      AWS_REGION: wire.region,
      AWS_ENDPOINT_URL: wire.endpoint,
      RELABEL_S3_BUCKET: BUCKET,
      RELABEL_DETECTION_EVENTS_QUEUE_URL: detectionQueue,
      RELABEL_REVIEW_EVENTS_QUEUE_URL: reviewQueue,
      RELABEL_OPERATOR_TOPIC_ARN: wire.topic('relabel-operator'),
      RELABEL_CONSUMER_TOPIC_ARN: wire.topic('relabel-consumer'),
    });
  });

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    for (const m of models) await m.close();
    await config?.cleanup();
    await wire?.stop();
  });

  /** Each service gets its own model service instance, as its own process would. */
  function modelService(objectStore: ObjectStore) {
    const service = createLocalModelService({ store: objectStore, logger: silentLogger }, { cacheDir });
    models.push(service);
    return service;
  }

  /** What reached the consumer topic, by image key (SNS is on the wire: the emulator saw each Publish). */
  function consumerNotifications(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const m of wire.server.spy.getAllMessages()) {
      if (m.service !== 'sns' || m.status !== 'published' || m.topicArn !== config.aws.consumerTopicArn) continue;
      const key = (JSON.parse(m.body) as { data: { imageKey: string } }).data.imageKey;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }

  async function runTraining(trainer: FastifyInstance) {
    const started = await trainer.inject({ method: 'POST', url: '/trainings', headers: admin, payload: { force: true } });
    expect(started.statusCode).toBe(202);
    return eventually('the training run to finish', async () => {
      const r = (await trainer.inject({ url: `/trainings/${started.json().id}`, headers: admin })).json();
      return ['deployed', 'rejected', 'failed', 'skipped'].includes(r.status) ? r : undefined;
    }, 180_000);
  }

  it('train → detect (POST and PutObject) on two detectors, once each → review → ingest → retrain', async () => {
    const configWatcher = await buildConfigWatcher({ config, logger: false });
    apps.push(configWatcher);
    await configWatcher.ready();
    const store = configWatcher.providers.objectStore;
    expect(store.bucket).toBe(BUCKET);

    // 1. A small training set, put in S3.
    const images = await makeSyntheticImages({ labels: ['circle', 'square', 'star'], perLabel: 8, seed: 15 });
    const probe = images.filter((_, i) => i % 8 === 7);
    const training = images.filter((i) => !probe.includes(i));
    for (const image of training) await store.put(`images_labeled_by_folder/${image.label}/${image.file}`, image.body);

    const trainer = await buildTrainer({ config, logger: false, providers: { modelService: modelService(store) }, timing: { trainingPollMs: 300, startPollMs: 200 } });
    // two detectors consume the same detection queue, as two ECS tasks would
    const detectors = [
      await buildDetector({ config, logger: false, providers: { modelService: modelService(store) } }),
      await buildDetector({ config, logger: false, providers: { modelService: modelService(store) } }),
    ];
    const labeler = await buildLabeler({ config, logger: false });
    apps.push(trainer, ...detectors, labeler);
    await Promise.all([trainer.ready(), labeler.ready(), ...detectors.map((d) => d.ready())]);

    const put = (name: string, value: string) => configWatcher.inject({ method: 'PUT', url: `/parameters/${name}`, headers: admin, payload: { value } });
    expect((await put('Minimum-F1-Score', '0.5')).statusCode).toBe(200);
    expect((await put('Minimum-Label-Detection-Confidence', '100')).statusCode).toBe(200);
    await eventually('the parameters to reach the trainer and detectors', async () =>
      trainer.parameters.current()['Minimum-F1-Score'] === 0.5 && detectors.every((d) => d.parameters.current()['Minimum-Label-Detection-Confidence'] === 100),
    10_000);

    // 2. Train, gate, deploy; the live pointer is an object in the shared bucket.
    const first = await runTraining(trainer);
    expect(first.status).toBe('deployed');
    expect(JSON.parse((await store.get('state/operational/activeModelVersion.json')).body.toString('utf8')).value).toBe(first.version);

    // 3. Detect by POST /detect: a noise image is unsure at threshold 100, so it goes to review.
    const noise = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 40, g: 90, b: 160 }, noise: { type: 'gaussian', mean: 120, sigma: 60 } } }).jpeg().toBuffer();
    const detected = await eventually('the detector to follow the live version', async () => {
      const r = (await detectors[0]!.inject({ method: 'POST', url: '/detect', headers: { 'content-type': 'image/jpeg' }, payload: noise })).json();
      return r.status === 'ok' ? r : undefined;
    }, 15_000);
    expect(detected).toMatchObject({ modelVersion: first.version, passed: false });
    expect(detected.humanLoop?.name).toBeTruthy();

    // 4. Detect by PutObject: each image lands on the queue once; two detectors share it.
    const dropped = probe.map((image, i) => ({ key: `images_for_detection/dropped ${i}+${image.label}.jpg`, body: image.body }));
    for (const d of dropped) await store.put(d.key, d.body);
    for (const d of dropped) {
      await eventually(`${d.key} to be detected`, () => store.head(`detection_results/${d.key.slice('images_for_detection/'.length)}.json`), 30_000);
    }
    const allKeys = [detected.imageKey as string, ...dropped.map((d) => d.key)];
    const counts = await eventually('every consumer notification', async () => {
      const c = consumerNotifications();
      return allKeys.every((k) => c.has(k)) ? c : undefined;
    }, 30_000);
    // the POST's own object event is skipped by the inbox (SQS message acknowledged): still one detection each
    expect(allKeys.map((k) => counts.get(k))).toEqual(allKeys.map(() => 1));
    expect([...counts.keys()].sort()).toEqual([...allKeys].sort());
    expect(wire.announced.direct + wire.announced.sns + wire.announced.eventbridge).toBeGreaterThanOrEqual(allKeys.length);

    // 5. Review: the loop started by a detector shows up on the labeler (same review directory).
    const loopName: string = detected.humanLoop.name;
    const pending = (await labeler.inject({ url: '/api/human-loops?status=pending', headers: reviewer })).json();
    expect(JSON.stringify(pending)).toContain(loopName);
    const answered = await labeler.inject({ method: 'POST', url: `/api/human-loops/${loopName}/answers`, headers: reviewer, payload: { label: 'star' } });
    expect(answered.statusCode).toBeLessThan(300);

    // 6. Ingest: the output.json in S3 reaches the labeler through the review queue.
    const labelled = `images_labeled_by_folder/star/humanLoopName-${loopName}-${(detected.imageKey as string).split('/').pop()}`;
    await eventually('the reviewed image to join the training set', () => store.head(labelled), 30_000);

    // 7. Retrain on the grown set: a new version is trained and gated against the champion.
    const second = await runTraining(trainer);
    expect(['deployed', 'rejected']).toContain(second.status);
    expect(second.version).not.toBe(first.version);
    expect(await store.head(`manifests/${second.version}/train.manifest`)).not.toBeNull();
    const manifest = (await store.get(`manifests/${second.version}/train.manifest`)).body.toString('utf8') + (await store.get(`manifests/${second.version}/test.manifest`)).body.toString('utf8');
    expect(manifest).toContain(labelled);
  });
});
