import type { ModelStatus } from '@relabel/ports';
import { beginStep } from '../domain/run-steps';
import type { TrainingRun } from '../domain/training-run.schema';
import { failRun } from './finish-run.use-case';
import { loadStepRun, StepInput } from './load-step-run.use-case';
import type { TrainerDeps } from './trainer-deps';
import { markInFlight } from '../infra/versions-in-flight';

export type StartDeploymentDeps = Pick<TrainerDeps, 'models' | 'state' | 'notifier' | 'runs' | 'lock' | 'observeRun' | 'jobs' | 'parameters' | 'clock' | 'timing' | 'logger'>;

/** Versions that can be (re)started; a running or starting one is simply waited for. */
const STARTABLE: readonly ModelStatus[] = ['TRAINING_COMPLETED', 'STOPPED', 'FAILED'];
const ALREADY_UP: readonly ModelStatus[] = ['RUNNING', 'STARTING'];

/**
 * Blue/green, first half (flow B.6): starts the candidate with Minimum-Inference-Units while the
 * live version keeps serving, then waits for it with delayed polls.
 */
export async function startDeployment(deps: StartDeploymentDeps, input: StepInput): Promise<TrainingRun | null> {
  let run = await loadStepRun(deps, 'deploy', input);
  if (!run) return null;
  const [info] = await deps.models.describeVersions([input.version]);
  if (!info) return failRun(deps, run, `the model service does not know version ${input.version}`, false);
  if (!STARTABLE.includes(info.status) && !ALREADY_UP.includes(info.status)) {
    return failRun(deps, run, `version ${input.version} is ${info.status} and cannot be started`, false);
  }
  const inferenceUnits = deps.parameters()['Minimum-Inference-Units'];
  const previousVersion = await deps.state.get('activeModelVersion');
  run = beginStep({ ...run, status: 'deploying' }, 'start', deps.clock());
  run = { ...run, deployment: run.deployment ?? { version: input.version, inferenceUnits, previousVersion, stoppedVersions: [] } };
  await markInFlight(deps.state, input.version);
  if (STARTABLE.includes(info.status)) await deps.models.startVersion(input.version, inferenceUnits);
  const delay = info.status === 'RUNNING' ? 0 : deps.timing.startPollMs;
  const pendingJob = await deps.jobs.step('await-start', { runId: run.id, version: input.version }, 1, delay);
  return deps.runs.put({ ...run, pendingJob }, deps.clock());
}
