import { evaluationWithF1 } from '../testing/fixture-model-service';
import { trainerHarness } from '../testing/trainer-harness';
import { checkTraining } from './check-training.use-case';
import { getRun } from './query-runs.use-case';
import { requestDeploy } from './request-deploy.use-case';
import { requestTraining } from './request-training.use-case';

const script = () => ({ trainingPolls: 2, startPolls: 2, outcome: () => evaluationWithF1(0.9) });

async function twoVersions() {
  const h = trainerHarness(script());
  await h.addImages('cat', 10);
  await h.addImages('dog', 10);
  const v1 = (await requestTraining(h.deps, { force: false, requestedBy: 'olivia' })).id;
  await h.drain();
  await h.addImages('dog', 10, 100);
  const v2 = (await requestTraining(h.deps, { force: false, requestedBy: 'olivia' })).id;
  await h.drain();
  return { h, v1, v2 };
}

describe('rollback through POST /models/:version/deploy', () => {
  it('makes the older version live and stops the newer one', async () => {
    const { h, v1, v2 } = await twoVersions();
    expect(h.state.values.activeModelVersion).toBe(v2);
    const { id } = await requestDeploy(h.deps, v1, 'olivia');
    await h.drain();
    const run = await getRun(h.deps, id);
    expect(run).toMatchObject({ kind: 'deploy', requestedBy: 'olivia', status: 'deployed', version: v1, deployment: { previousVersion: v2, stoppedVersions: [v2] } });
    expect(h.state.values).toMatchObject({ activeModelVersion: v1, lastDeployedDatasetImages: 20, versionsInFlight: [] });
    expect(h.models.status(v1)).toBe('RUNNING');
    expect(h.models.status(v2)).toBe('STOPPED');
    expect(h.notifier.types().at(-1)).toBe('deployment.deployed');
    // the newer data was deployed before: a plain poll does not pay to retrain it
    const poll = (await requestTraining(h.deps, { force: false, requestedBy: 'olivia' })).id;
    await h.drain();
    expect((await getRun(h.deps, poll)).reason).toContain(`already produced deployed version ${v2}`);
  });

  it('refuses unknown versions, versions still training, and a busy slot', async () => {
    const { h, v1 } = await twoVersions();
    await expect(requestDeploy(h.deps, 'nope', 'olivia')).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    h.models.seed('busy', 'TRAINING_IN_PROGRESS');
    await expect(requestDeploy(h.deps, 'busy', 'olivia')).rejects.toMatchObject({ code: 'MODEL_NOT_READY' });
    await h.lock.acquire('someone-else');
    await expect(requestDeploy(h.deps, v1, 'olivia')).rejects.toMatchObject({ code: 'TRAINING_IN_FLIGHT' });
  });

  it('answers with a skipped run when the version is already live', async () => {
    const { h, v2 } = await twoVersions();
    const { id } = await requestDeploy(h.deps, v2, 'olivia');
    expect(await getRun(h.deps, id)).toMatchObject({ status: 'skipped', reason: expect.stringContaining('already live') });
    expect(h.queue).toHaveLength(0);
  });
});

describe('resuming a run whose Redis state was lost', () => {
  it('a later check resumes the orphaned run instead of training the same data again', async () => {
    const h = trainerHarness(script());
    await h.addImages('cat', 10);
    await h.addImages('dog', 10);
    const { id } = await requestTraining(h.deps, { force: false, requestedBy: 'olivia' });
    h.queue.splice(0).forEach((job) => expect(job.name).toBe('check'));
    await checkTraining(h.deps, { runId: id, force: false, trigger: 'api' });
    expect((await getRun(h.deps, id)).pendingJob).toMatchObject({ name: 'await-training', attempt: 1 });
    // Redis flushed: the delayed job and the lock are gone; the run record and in-flight pointer are not.
    h.queue.splice(0);
    h.lock.owner = null;

    const poll = (await requestTraining(h.deps, { force: true, requestedBy: 'olivia' })).id;
    await h.drain();
    expect(await getRun(h.deps, poll)).toMatchObject({ status: 'skipped', reason: expect.stringContaining(`run ${id} had lost its queued step and was resumed`) });
    expect(await getRun(h.deps, id)).toMatchObject({ status: 'deployed' });
    expect(h.models.created).toHaveLength(1);
    expect(h.lock.owner).toBeNull();
  });

  it('a retried check job after the version was created does not create it twice', async () => {
    const h = trainerHarness(script());
    await h.addImages('cat', 10);
    await h.addImages('dog', 10);
    const { id } = await requestTraining(h.deps, { force: false, requestedBy: 'olivia' });
    h.queue.splice(0);
    const real = h.deps.jobs.step;
    h.deps.jobs.step = async () => {
      throw new Error('redis went away');
    };
    await expect(checkTraining(h.deps, { runId: id, force: false, trigger: 'api' })).rejects.toThrow('redis went away');
    h.deps.jobs.step = real;
    await checkTraining(h.deps, { runId: id, force: false, trigger: 'api' });
    await h.drain();
    expect(await getRun(h.deps, id)).toMatchObject({ status: 'deployed' });
    expect(h.models.created).toHaveLength(1);
  });
});
