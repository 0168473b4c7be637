import { RelabelError } from '@relabel/contracts';
import type { ModelStatus } from '@relabel/ports';
import { newRunId } from '../domain/run-id';
import { stepJobId } from '../infra/training-jobs';
import type { TrainingRun } from '../domain/training-run.schema';
import { claimSlot } from './claim-slot.use-case';
import { failRun, finishRun } from './finish-run.use-case';
import type { TrainerDeps } from './trainer-deps';

const NOT_DEPLOYABLE: readonly ModelStatus[] = ['TRAINING_IN_PROGRESS', 'TRAINING_FAILED', 'STOPPING'];

/**
 * `POST /models/:version/deploy` (rollback or redeploy): any trained version goes through the same
 * blue/green steps as a fresh one. The slot is taken here so a clash answers 409 at once.
 */
export async function requestDeploy(
  deps: Pick<TrainerDeps, 'models' | 'state' | 'notifier' | 'runs' | 'lock' | 'observeRun' | 'jobs' | 'clock' | 'logger'>,
  version: string,
  requestedBy: string,
): Promise<{ id: string }> {
  const [info] = await deps.models.describeVersions([version]);
  if (!info) throw new RelabelError('MODEL_NOT_FOUND', `no model version ${version}`);
  if (NOT_DEPLOYABLE.includes(info.status)) throw new RelabelError('MODEL_NOT_READY', `version ${version} is ${info.status} and cannot be deployed`);
  const now = deps.clock();
  const at = now.toISOString();
  let run: TrainingRun = { id: newRunId('deploy', now), kind: 'deploy', trigger: 'api', requestedBy, force: false, status: 'deploying', version, createdAt: at, updatedAt: at, steps: [] };
  if ((await deps.state.get('activeModelVersion')) === version && info.status === 'RUNNING') {
    return { id: (await finishRun(deps, run, 'skipped', { reason: `version ${version} is already live` })).id };
  }
  const slot = await claimSlot(deps, run.id);
  if (!slot.ok) throw new RelabelError('TRAINING_IN_FLIGHT', slot.reason);
  // The record (with the job it waits for) is saved before the job is queued: an idle worker takes
  // the job at once, and a job whose run it cannot find is dropped.
  run = await deps.runs.put({ ...run, pendingJob: { name: 'deploy', id: stepJobId('deploy', run.id, 0), attempt: 0 } }, now);
  try {
    await deps.jobs.step('deploy', { runId: run.id, version }, 0, 0);
  } catch (err) {
    await failRun(deps, run, `could not queue the deployment: ${(err as Error).message}`, false);
    throw err;
  }
  return { id: run.id };
}
