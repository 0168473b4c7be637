import { isRelabelError } from '@relabel/contracts';
import { beginStep, endStep } from '../domain/run-steps';
import type { TrainingRun } from '../domain/training-run.schema';
import { failRun } from './finish-run.use-case';
import type { TrainerDeps } from './trainer-deps';

type Deps = Pick<TrainerDeps, 'models' | 'state' | 'notifier' | 'runs' | 'lock' | 'jobs' | 'observeRun' | 'clock' | 'timing' | 'logger'>;

/**
 * Creates the version (unless a previous attempt already did) and schedules the first delayed
 * status poll. A dataset the model service refuses is remembered as failed; transient errors are
 * rethrown for the job to retry.
 */
export async function createVersionAndWait(deps: Deps, run: TrainingRun): Promise<TrainingRun> {
  const version = run.version!;
  const manifests = run.manifests!;
  run = beginStep(run, 'create-version', deps.clock());
  const [known] = await deps.models.describeVersions([version]);
  if (!known) {
    try {
      await deps.models.createVersion({ version, trainManifestKey: manifests.train, testManifestKey: manifests.test });
    } catch (err) {
      if (isRelabelError(err) && !err.retryable) {
        // Only a refused dataset is the data's fault; anything else must not block this dataset.
        const refused = err.code === 'TRAINING_DATASET_INVALID';
        const reason = refused ? `the model service refused the dataset: ${err.message}` : `the model service could not create the version: ${err.message}`;
        return failRun(deps, endStep(run, 'create-version', deps.clock(), 'failed', err.message), reason, refused);
      }
      throw err;
    }
  }
  run = beginStep(endStep(run, 'create-version', deps.clock()), 'train', deps.clock());
  // Job ids continue the run's numbering, so a retried training never collides with an old job id.
  const pendingJob = await deps.jobs.step('await-training', { runId: run.id, version }, (run.pendingJob?.attempt ?? 0) + 1, deps.timing.trainingPollMs);
  run = await deps.runs.put({ ...run, pendingJob }, deps.clock());
  await deps.notifier.notify({
    channel: 'operator',
    type: 'training.started',
    subject: `Training of version ${version} started`,
    data: { runId: run.id, version, trigger: run.trigger, force: run.force, dataset: run.dataset ?? null },
    dedupeId: `${run.id}.started`,
  });
  return run;
}
