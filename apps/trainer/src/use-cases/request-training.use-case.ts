import { newRunId } from '../domain/run-id';
import { newTrainingRun } from './check-training.use-case';
import type { TrainerDeps } from './trainer-deps';

/**
 * `POST /trainings`: records a queued run (so `GET /trainings/:id` answers at once) and enqueues
 * the check. Two simultaneous requests make two checks; the training slot lets only one train.
 */
export async function requestTraining(deps: Pick<TrainerDeps, 'runs' | 'jobs' | 'clock'>, input: { force: boolean; requestedBy: string }): Promise<{ id: string }> {
  const now = deps.clock();
  const run = { ...newTrainingRun({ runId: newRunId('training', now), force: input.force, trigger: 'api' }, now), requestedBy: input.requestedBy };
  await deps.runs.put(run, now);
  await deps.jobs.check({ runId: run.id, force: input.force, trigger: 'api' });
  return { id: run.id };
}
