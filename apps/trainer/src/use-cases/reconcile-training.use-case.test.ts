import { evaluationWithF1 } from '../testing/fixture-model-service';
import { trainerHarness } from '../testing/trainer-harness';
import { checkTraining } from './check-training.use-case';
import { getRun } from './query-runs.use-case';
import { reconcileTraining } from './reconcile-training.use-case';
import { requestTraining } from './request-training.use-case';

const script = () => ({ trainingPolls: 2, startPolls: 2, outcome: () => evaluationWithF1(0.9) });

async function withImages() {
  const h = trainerHarness(script());
  await h.addImages('cat', 10);
  await h.addImages('dog', 10);
  return h;
}

describe('reconcileTraining (Redis lost its jobs)', () => {
  it('resumes the in-flight run without waiting for a poll, takes the slot back, and trains once', async () => {
    const h = await withImages();
    const { id } = await requestTraining(h.deps, { force: false, requestedBy: 'test-operator' });
    h.queue.splice(0);
    await checkTraining(h.deps, { runId: id, force: false, trigger: 'api' });
    // flushed: the delayed await-training job and the lock are gone
    h.queue.splice(0);
    h.lock.owner = null;

    const report = await reconcileTraining(h.deps);
    expect(report).toMatchObject({ inFlight: id, resumed: 1, pending: 1, checksQueued: 0 });
    expect(h.lock.owner).toBe(id);
    expect(h.queue.map((j) => j.name)).toEqual(['await-training']);
    await h.drain();
    expect(await getRun(h.deps, id)).toMatchObject({ status: 'deployed' });
    expect(h.models.created).toHaveLength(1);
  });

  it('leaves a run alone while its job is still queued, and does nothing twice', async () => {
    const h = await withImages();
    const { id } = await requestTraining(h.deps, { force: false, requestedBy: 'test-operator' });
    h.queue.splice(0);
    await checkTraining(h.deps, { runId: id, force: false, trigger: 'api' });
    expect(await reconcileTraining(h.deps)).toMatchObject({ inFlight: id, resumed: 0, pending: 0 });
    expect(h.queue).toHaveLength(1);
    await h.drain();
    expect(await reconcileTraining(h.deps)).toMatchObject({ inFlight: null, pending: 0 });
    expect(h.queue).toHaveLength(0);
  });

  it('queues again the check of a POST /trainings whose job was lost', async () => {
    const h = await withImages();
    const { id } = await requestTraining(h.deps, { force: true, requestedBy: 'test-operator' });
    h.queue.splice(0);
    const report = await reconcileTraining(h.deps);
    expect(report).toMatchObject({ checksQueued: 1, pending: 1 });
    expect(h.queue).toEqual([expect.objectContaining({ name: 'check', id: `check-${id}` })]);
    expect(await reconcileTraining(h.deps)).toMatchObject({ checksQueued: 0 });
    await h.drain();
    expect(await getRun(h.deps, id)).toMatchObject({ status: 'deployed' });
  });
});
