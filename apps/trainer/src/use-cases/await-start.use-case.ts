import { runIdOfVersion } from '../domain/run-id';
import { beginStep, endStep, stepDone } from '../domain/run-steps';
import type { TrainingRun } from '../domain/training-run.schema';
import { failRun, finishRun } from './finish-run.use-case';
import { loadStepRun, StepInput } from './load-step-run.use-case';
import type { TrainerDeps } from './trainer-deps';

export type AwaitStartDeps = Pick<TrainerDeps, 'models' | 'state' | 'notifier' | 'runs' | 'lock' | 'observeRun' | 'jobs' | 'publishActivated' | 'clock' | 'timing' | 'logger'>;

/**
 * Blue/green, second half (flow B.6): once the candidate is RUNNING, the active pointer moves in one
 * atomic write, detectors are told, and only then are the other running versions stopped. A start
 * that fails or never finishes leaves the live version serving.
 */
export async function awaitStart(deps: AwaitStartDeps, input: StepInput): Promise<TrainingRun | null> {
  let run = await loadStepRun(deps, 'await-start', input);
  if (!run) return null;
  const [info] = await deps.models.describeVersions([input.version]);
  if (info?.status === 'STARTING') {
    const started = run.steps.find((s) => s.name === 'start')?.startedAt ?? run.updatedAt;
    if (deps.clock().getTime() - Date.parse(started) <= deps.timing.startTimeoutMs) {
      const pendingJob = await deps.jobs.step('await-start', input, (input.attempt ?? 0) + 1, deps.timing.startPollMs);
      return deps.runs.put({ ...run, pendingJob }, deps.clock());
    }
    await deps.models.stopVersion(input.version).catch((err: Error) => deps.logger.warn({ err: err.message }, 'could not stop a version that did not start'));
    return failRun(deps, endStep(run, 'start', deps.clock(), 'failed', 'timed out'), `version ${input.version} did not start in time`, false);
  }
  if (info?.status !== 'RUNNING') {
    const why = info ? `${info.status}${info.statusMessage ? `: ${info.statusMessage}` : ''}` : 'unknown to the model service';
    return failRun(deps, endStep(run, 'start', deps.clock(), 'failed', why), `version ${input.version} failed to start (${why})`, false);
  }
  if (!stepDone(run, 'switch')) run = await switchActive(deps, endStep(run, 'start', deps.clock()));
  run = beginStep(run, 'stop-others', deps.clock());
  const stopped: string[] = [];
  for (const other of await deps.models.describeVersions()) {
    if (other.version !== input.version && (other.status === 'RUNNING' || other.status === 'STARTING')) {
      await deps.models.stopVersion(other.version);
      stopped.push(other.version);
    }
  }
  run = endStep(run, 'stop-others', deps.clock(), 'done', stopped.length ? `stopped ${stopped.join(', ')}` : 'nothing else was running');
  const deployment = { ...run.deployment!, stoppedVersions: [...new Set([...run.deployment!.stoppedVersions, ...stopped])] };
  return finishRun(deps, { ...run, deployment }, 'deployed', {
    recordDataset: true,
    notify: {
      type: run.kind === 'deploy' ? 'deployment.deployed' : 'training.deployed',
      subject: `Version ${input.version} is live`,
      data: { previousVersion: deployment.previousVersion, stoppedVersions: deployment.stoppedVersions, f1: run.gate?.challenger.evaluation.f1 ?? null },
    },
  });
}

async function switchActive(deps: AwaitStartDeps, run: TrainingRun): Promise<TrainingRun> {
  const version = run.version!;
  run = beginStep(run, 'switch', deps.clock());
  const trainedBy = runIdOfVersion(version);
  const datasetImages = run.dataset?.images ?? (trainedBy ? (await deps.runs.get(trainedBy))?.dataset?.images : undefined);
  const previousVersion = run.deployment!.previousVersion;
  await deps.state.set('activeModelVersion', version);
  // Untrained images are counted against the dataset of the version that is live now (also after a rollback).
  if (datasetImages !== undefined) await deps.state.set('lastDeployedDatasetImages', datasetImages);
  const at = deps.clock().toISOString();
  await deps.publishActivated({ version, previousVersion, at });
  run = endStep({ ...run, deployment: { ...run.deployment!, switchedAt: at } }, 'switch', deps.clock(), 'done', `active: ${previousVersion ?? 'none'} → ${version}`);
  return deps.runs.put(run, deps.clock());
}
