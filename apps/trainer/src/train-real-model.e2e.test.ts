import { spawn } from 'child_process';
import { tmpdir } from 'os';
import { join } from 'path';
import type { FastifyInstance } from 'fastify';
import { LOCAL_BUCKET } from '@relabel/platform';
import { freePort, testConfig, TEST_ADMIN_TOKEN, TEST_REVIEWER_TOKEN } from '@relabel/platform/testing';
import { createFsObjectStore, createLocalModelService } from '@relabel/local-adapters';
import { makeSyntheticImages, SyntheticImage } from '@relabel/ports/testing';
import { silentLogger } from '@relabel/ports';
import { buildApp } from './app';
import type { TrainingRun } from './domain/training-run.schema';

// The converted backbone and embedding cache are shared with the model service's own tests.
const cacheDir = join(tmpdir(), 'relabel-model-cache');
jest.setTimeout(180_000);

const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const FINISHED = ['deployed', 'rejected', 'failed', 'skipped'];

/** A trainer on the local profile's real adapters (files, local model service) and real Redis. */
function localTrainer() {
  const config = testConfig();
  const store = createFsObjectStore({ root: config.bucketDir, bucket: LOCAL_BUCKET });
  const closers: Array<() => Promise<void>> = [];
  return {
    store,
    /** one trainer process: its app and its own model service instance */
    async start(): Promise<FastifyInstance> {
      const modelService = createLocalModelService({ store, logger: silentLogger }, { cacheDir, heartbeatMs: 300, leaseMs: 2000 });
      const app = await buildApp({ config, logger: false, providers: { objectStore: store, modelService }, timing: { trainingPollMs: 400, startPollMs: 300 } });
      await app.ready();
      closers.push(async () => {
        await app.close();
        await modelService.close();
      });
      return app;
    },
    /** the trainer as its own process (`server.ts`), as in production */
    async spawnServer(): Promise<{ url: string; kill(): Promise<void> }> {
      const port = await freePort();
      // `--import tsx` keeps the server in this one process (the tsx CLI would fork a grandchild a kill misses).
      const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'server.ts')], {
        env: { ...process.env, RELABEL_DATA_DIR: config.dataDir, RELABEL_KEY_PREFIX: config.keyPrefix, REDIS_URL: config.redisUrl, RELABEL_ADMIN_TOKEN: TEST_ADMIN_TOKEN, RELABEL_REVIEWER_TOKEN: TEST_REVIEWER_TOKEN, RELABEL_TRAINER_PORT: String(port), LOG_LEVEL: 'silent' },
        stdio: 'ignore',
      });
      const kill = () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        });
      closers.push(kill);
      const url = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 300; i++) {
        if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return { url, kill };
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the trainer process did not start');
    },
    async addImages(images: SyntheticImage[], prefix = '') {
      for (const image of images) await store.put(`images_labeled_by_folder/${image.label}/${prefix}${image.file}`, image.body);
    },
    async cleanup() {
      for (const close of closers.splice(0)) await close().catch(() => undefined);
      await config.cleanup();
    },
  };
}


async function waitForRun(app: FastifyInstance, id: string, done: (run: TrainingRun) => boolean): Promise<TrainingRun> {
  let run: TrainingRun | undefined;
  for (let i = 0; i < 480; i++) {
    run = (await app.inject({ url: `/trainings/${id}`, headers: auth })).json();
    if (done(run!)) return run!;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`run ${id} did not get there: ${JSON.stringify(run)}`);
}

describe('trainer with the real local model service (local profile, real Redis)', () => {
  let env: ReturnType<typeof localTrainer>;
  afterEach(() => env.cleanup());

  it('labelled images in → trained → gated → deployed live → detects held-out images', async () => {
    env = localTrainer();
    const images = await makeSyntheticImages({ labels: ['circle', 'square', 'star'], perLabel: 14, seed: 7 });
    const heldOut = images.filter((_, i) => i % 7 === 6);
    await env.addImages(images.filter((i) => !heldOut.includes(i)));
    await env.store.put('images_labeled_by_folder/circle/notes.txt', Buffer.from('skipped, not an image'));
    const app = await env.start();
    await app.providers.parameterStore.put('Minimum-F1-Score', '0.5');
    await app.parameters.refresh();

    const { id } = (await app.inject({ method: 'POST', url: '/trainings', headers: auth, payload: {} })).json();
    const run = await waitForRun(app, id, (r) => FINISHED.includes(r.status));
    expect(run).toMatchObject({ status: 'deployed', dataset: { images: images.length - heldOut.length, skippedObjects: 1 } });
    expect(run.gate!.challenger.evaluation.f1).toBeGreaterThanOrEqual(0.5);
    expect((await env.store.head(`manifests/${run.version}/train.manifest`))?.size).toBeGreaterThan(0);
    const model = (await app.inject({ url: `/models/${run.version}`, headers: auth })).json();
    expect(model).toMatchObject({ live: true, status: 'RUNNING', perLabel: expect.arrayContaining([expect.objectContaining({ label: 'star' })]) });
    expect(await app.providers.operationalState.get('activeModelVersion')).toBe(run.version);

    let correct = 0;
    for (const image of heldOut) {
      const [top] = await app.providers.modelService.detect(run.version!, { bytes: image.body }, { maxResults: 1 });
      if (top?.name === image.label) correct += 1;
    }
    // Chance is one in three; the trained model must do clearly better on images it never saw.
    expect(correct / heldOut.length).toBeGreaterThan(0.6);

    // A second version: the live one is scored on the same test set, then stopped after the switch.
    await env.addImages(await makeSyntheticImages({ labels: ['circle', 'square', 'star'], perLabel: 4, seed: 99 }), 'more-');
    const second = (await app.inject({ method: 'POST', url: '/trainings', headers: auth, payload: {} })).json().id;
    const run2 = await waitForRun(app, second, (r) => FINISHED.includes(r.status));
    expect(run2).toMatchObject({ status: 'deployed', deployment: { previousVersion: run.version, stoppedVersions: [run.version] } });
    expect(run2.gate!.champion).toMatchObject({ version: run.version, evaluation: { testImages: run2.dataset!.testImages } });
    expect(run2.gate!.champion!.evaluation!.f1).toBeGreaterThan(0.5);

    // Rollback: the first version goes live again and the second one is stopped.
    const rollback = await app.inject({ method: 'POST', url: `/models/${run.version}/deploy`, headers: auth });
    expect(rollback.statusCode).toBe(202);
    expect(await waitForRun(app, rollback.json().id, (r) => FINISHED.includes(r.status))).toMatchObject({ kind: 'deploy', status: 'deployed' });
    const models = (await app.inject({ url: '/models', headers: auth })).json().items as Array<{ version: string; live: boolean; status: string }>;
    expect(models.map((m) => [m.version, m.live, m.status])).toEqual([
      [run2.version, false, 'STOPPED'],
      [run.version, true, 'RUNNING'],
    ]);
  });

  it('a trainer process killed in the middle of a training completes the same run after restart', async () => {
    env = localTrainer();
    await env.addImages(await makeSyntheticImages({ labels: ['circle', 'star'], perLabel: 12, seed: 11 }));
    const child = await env.spawnServer();
    const call = (path: string, init: RequestInit = {}) => fetch(`${child.url}${path}`, { ...init, headers: { ...auth, 'content-type': 'application/json' } });
    const { id } = (await (await call('/trainings', { method: 'POST', body: '{}' })).json()) as { id: string };
    for (let i = 0; i < 400; i++) {
      const run = (await (await call(`/trainings/${id}`)).json()) as TrainingRun;
      if (run.status === 'training' && run.pendingJob) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // SIGKILL: no graceful close; the local model service's training dies with the process.
    await child.kill();

    const app = await env.start();
    await app.providers.parameterStore.put('Minimum-F1-Score', '0');
    await app.parameters.refresh();
    const run = await waitForRun(app, id, (r) => FINISHED.includes(r.status));
    expect(run).toMatchObject({ status: 'deployed', version: `${id}-2`, retriedVersions: [{ version: id, reason: expect.stringContaining('training failed') }] });
    const runs = (await app.inject({ url: '/trainings', headers: auth })).json().items;
    expect(runs.map((r: TrainingRun) => r.id)).toEqual([id]);
  });
});
