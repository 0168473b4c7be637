import type { FastifyInstance } from 'fastify';
import { QUEUES, TRAINING_POLL_SCHEDULER_ID } from '@relabel/contracts';
import { seedAccount, testConfig, TEST_ADMIN_TOKEN, TEST_REVIEWER_TOKEN } from '@relabel/platform/testing';
import { buildApp } from './app';
import type { TrainingRun } from './domain/training-run.schema';
import { evaluationWithF1, FixtureModelService } from './testing/fixture-model-service';
import { MemoryObjectStore, MemoryStateStore, RecordingNotifier } from './testing/memory-ports';

jest.setTimeout(30_000);

const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

/** One trainer app per test on real Redis/BullMQ, with in-memory ports and a scripted model service. */
function setup(trainingPolls = 2) {
  const config = testConfig();
  const store = new MemoryObjectStore();
  const state = new MemoryStateStore();
  const notifier = new RecordingNotifier();
  const models = new FixtureModelService({ trainingPolls, startPolls: 2, outcome: () => evaluationWithF1(0.9) });
  const apps: FastifyInstance[] = [];
  const start = async () => {
    const app = await buildApp({ config, logger: false, providers: { objectStore: store, modelService: models, operationalState: state, notifier }, timing: { trainingPollMs: 40, startPollMs: 40 } });
    await app.ready();
    apps.push(app);
    return app;
  };
  const images = async (label: string, n: number) => {
    for (let i = 0; i < n; i++) await store.put(`images_labeled_by_folder/${label}/${i}.png`, Buffer.from(`${label}-${i}`));
  };
  const teardown = async () => {
    for (const app of apps) await app.close();
    await config.cleanup();
  };
  return { config, store, state, notifier, models, start, images, teardown };
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const runOf = (app: FastifyInstance, id: string) => async (): Promise<TrainingRun> => (await app.inject({ url: `/trainings/${id}`, headers: auth })).json();
const finished = (run: TrainingRun) => ['deployed', 'rejected', 'failed', 'skipped'].includes(run.status);

describe('trainer app (real Redis and BullMQ)', () => {
  let env: ReturnType<typeof setup>;
  afterEach(() => env.teardown());

  it('POST /trainings trains and deploys through the queue; the API shows runs and models', async () => {
    env = setup();
    const app = await env.start();
    await env.images('cat', 10);
    await env.images('dog', 10);
    expect((await app.inject({ method: 'POST', url: '/trainings', payload: { force: 'yes' } })).json()).toMatchObject({ code: 'AUTH_REQUIRED' });
    const reviewer = await app.inject({ method: 'POST', url: '/trainings', headers: { authorization: `Bearer ${TEST_REVIEWER_TOKEN}` } });
    expect([reviewer.statusCode, reviewer.json().code]).toEqual([403, 'AUTH_FORBIDDEN']);
    const bad = await app.inject({ method: 'POST', url: '/trainings', headers: auth, payload: { force: 'yes' } });
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'REQUEST_INVALID']);
    // no body at all, as `curl -X POST` sends it
    const res = await app.inject({ method: 'POST', url: '/trainings', headers: auth });
    expect(res.statusCode).toBe(202);
    const { id } = res.json();
    const run = await waitFor(runOf(app, id), finished, 'the run to finish');
    expect(run).toMatchObject({ status: 'deployed', version: id, requestedBy: 'bootstrap-admin' });
    expect(run.steps.every((s) => typeof s.durationMs === 'number')).toBe(true);

    const models = (await app.inject({ url: '/models', headers: auth })).json();
    expect(models.items).toEqual([expect.objectContaining({ version: id, live: true, status: 'RUNNING', datasetImages: 20, f1: 0.9 })]);
    const one = await app.inject({ url: `/models/${id}`, headers: auth });
    expect(one.json()).toMatchObject({ version: id, perLabel: [expect.objectContaining({ label: 'cat' }), expect.objectContaining({ label: 'dog' })] });
    expect((await app.inject({ url: '/models/nope', headers: auth })).json()).toMatchObject({ code: 'MODEL_NOT_FOUND' });
    expect((await app.inject({ url: '/trainings/nope', headers: auth })).statusCode).toBe(404);
    const list = (await app.inject({ url: '/trainings?limit=5', headers: auth })).json();
    expect(list.items.map((r: { id: string }) => r.id)).toEqual([id]);
    expect(env.state.values.activeModelVersion).toBe(id);
    const metrics = await waitFor(async () => (await app.inject({ url: '/metrics' })).body, (body) => body.includes('outcome="deployed"'), 'the run metric');
    expect(metrics).toContain('relabel_trainer_runs_total{kind="training",outcome="deployed",service="trainer"} 1');
    expect(metrics).toContain('relabel_trainer_deployed_f1{service="trainer"} 0.9');
  });

  it('POST /models/:version/deploy rolls back to an older version and stops the newer one', async () => {
    env = setup();
    const app = await env.start();
    const train = async () => {
      const { id } = (await app.inject({ method: 'POST', url: '/trainings', headers: auth, payload: { force: true } })).json();
      return waitFor(runOf(app, id), finished, 'a training');
    };
    await env.images('cat', 10);
    await env.images('dog', 10);
    const v1 = (await train()).version!;
    await env.images('bird', 10);
    const v2 = (await train()).version!;
    expect(env.state.values.activeModelVersion).toBe(v2);
    const olivia = await seedAccount(app, { name: 'olivia', role: 'operator' });
    const res = await app.inject({ method: 'POST', url: `/models/${v1}/deploy`, headers: { authorization: `Bearer ${olivia.token}` } });
    expect(res.statusCode).toBe(202);
    expect(await waitFor(runOf(app, res.json().id), finished, 'the rollback')).toMatchObject({ kind: 'deploy', status: 'deployed', requestedBy: 'olivia' });
    expect(env.state.values.activeModelVersion).toBe(v1);
    expect([env.models.status(v1), env.models.status(v2)]).toEqual(['RUNNING', 'STOPPED']);
  });

  it('two POST /trainings at the same moment start one training', async () => {
    env = setup();
    const app = await env.start();
    await env.images('cat', 10);
    await env.images('dog', 10);
    const [a, b] = await Promise.all([1, 2].map(() => app.inject({ method: 'POST', url: '/trainings', headers: auth, payload: { force: true } })));
    const runs = await Promise.all([a!, b!].map((r) => waitFor(runOf(app, r.json().id), finished, 'both runs')));
    expect(runs.map((r) => r.status).sort()).toEqual(['deployed', 'skipped']);
    expect(env.models.created).toHaveLength(1);
  });

  it('a trainer restarted in the middle of a training completes the run without training again', async () => {
    env = setup(15);
    const first = await env.start();
    await env.images('cat', 10);
    await env.images('dog', 10);
    const { id } = (await first.inject({ method: 'POST', url: '/trainings', headers: auth, payload: {} })).json();
    await waitFor(runOf(first, id), (r) => r.status === 'training' && (r.pendingJob?.attempt ?? 0) >= 2, 'training to be under way');
    await first.close();
    const second = await env.start();
    const run = await waitFor(runOf(second, id), finished, 'the resumed run');
    expect(run.status).toBe('deployed');
    expect(env.models.created).toHaveLength(1);
  });

  it('follows Enable-Automatic-Training and the poll frequency from the parameter store', async () => {
    env = setup();
    const app = await env.start();
    const queue = app.queues.get(QUEUES.training).queue;
    const every = async () => (await queue.getJobScheduler(TRAINING_POLL_SCHEDULER_ID))?.every ?? null;
    expect(await every()).toBe(600 * 60_000);
    await app.providers.parameterStore.put('Automatic-Training-Poll-Frequency', '2');
    await app.parameters.refresh();
    await waitFor(every, (v) => v === 120_000, 're-timed schedule');
    await app.providers.parameterStore.put('Enable-Automatic-Training', 'false');
    await app.parameters.refresh();
    await waitFor(every, (v) => v === null, 'schedule removed');
    await app.providers.parameterStore.put('Automatic-Training-Poll-Frequency', '3');
    await app.parameters.refresh();
    await new Promise((r) => setTimeout(r, 200));
    expect(await every()).toBeNull();
    await app.providers.parameterStore.put('Enable-Automatic-Training', 'TRUE');
    await app.parameters.refresh();
    await waitFor(every, (v) => v === 180_000, 'schedule back');
    expect(await queue.getWaitingCount()).toBe(0);
  });
});
