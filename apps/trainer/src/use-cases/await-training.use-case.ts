import { manifestKey } from '@relabel/contracts';
import { endStep } from '../domain/run-steps';
import type { TrainingRun } from '../domain/training-run.schema';
import { markInFlight } from '../infra/versions-in-flight';
import { createVersionAndWait } from './create-version.use-case';
import { failRun } from './finish-run.use-case';
import { gateVersion } from './gate-version.use-case';
import { loadStepRun, StepInput } from './load-step-run.use-case';
import type { TrainerDeps } from './trainer-deps';

export type AwaitTrainingDeps = Pick<TrainerDeps, 'store' | 'models' | 'state' | 'notifier' | 'runs' | 'lock' | 'observeRun' | 'jobs' | 'parameters' | 'clock' | 'timing' | 'logger'>;

/**
 * One delayed poll of a training (flow B.4): still training → poll again later; failed → the
 * dataset is remembered as failed; completed → the gate (`gate-version.use-case.ts`, flow B.5).
 */
export async function awaitTraining(deps: AwaitTrainingDeps, input: StepInput): Promise<TrainingRun | null> {
  const run = await loadStepRun(deps, 'await-training', input);
  if (!run) return null;
  const [info] = await deps.models.describeVersions([input.version]);
  if (!info) return failRun(deps, run, `the model service does not know version ${input.version}`, false);
  if (info.status === 'TRAINING_IN_PROGRESS') {
    const started = run.steps.find((s) => s.name === 'train')?.startedAt ?? run.createdAt;
    if (deps.clock().getTime() - Date.parse(started) > deps.timing.trainingTimeoutMs) {
      return failRun(deps, endStep(run, 'train', deps.clock(), 'failed'), 'training did not finish in time', false);
    }
    const pendingJob = await deps.jobs.step('await-training', input, (input.attempt ?? 0) + 1, deps.timing.trainingPollMs);
    return deps.runs.put({ ...run, pendingJob }, deps.clock());
  }
  if (info.status === 'TRAINING_FAILED') {
    const reason = `training failed: ${info.statusMessage ?? 'no reason given'}`;
    const failed = endStep(run, 'train', deps.clock(), 'failed', info.statusMessage);
    if ((run.retriedVersions?.length ?? 0) < deps.timing.trainingRetries) return retryTraining(deps, failed, reason);
    return failRun(deps, failed, reason, true);
  }
  return gateVersion(deps, endStep(run, 'train', deps.clock(), 'done', info.statusMessage), info);
}

/**
 * A failed training is retried (bounded by `trainingRetries`) under a new version name inside the
 * same run: a training can die with its process (the embedded model service trains in the trainer),
 * which says nothing about the data. Only when the retries fail too is the dataset remembered as failed.
 */
async function retryTraining(deps: AwaitTrainingDeps, run: TrainingRun, reason: string): Promise<TrainingRun> {
  const failedVersion = run.version!;
  const retriedVersions = [...(run.retriedVersions ?? []), { version: failedVersion, reason }];
  const version = `${run.id}-${retriedVersions.length + 1}`;
  const manifests = { train: manifestKey(version, 'train'), test: manifestKey(version, 'test') };
  await deps.store.copy(run.manifests!.train, manifests.train);
  await deps.store.copy(run.manifests!.test, manifests.test);
  await markInFlight(deps.state, version, { replacing: failedVersion });
  deps.logger.warn({ runId: run.id, failedVersion, version, reason }, 'training failed; retrying under a new version');
  run = await deps.runs.put({ ...run, version, manifests, retriedVersions }, deps.clock());
  return createVersionAndWait(deps, run);
}
