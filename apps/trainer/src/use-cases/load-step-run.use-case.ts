import type { StepJobName } from '../infra/training-jobs';
import { isTerminal, TrainingRun } from '../domain/training-run.schema';
import type { TrainerDeps } from './trainer-deps';

export interface StepInput {
  runId: string;
  version: string;
  attempt?: number;
}

/**
 * Loads the run a step job belongs to. Returns null (nothing to do) for an unknown or finished run
 * and for a stale job — one the run no longer waits for, e.g. the old chain of a resumed run. Renews
 * the training slot while the run lives.
 */
export async function loadStepRun(
  deps: Pick<TrainerDeps, 'runs' | 'lock' | 'logger'>,
  name: StepJobName,
  input: StepInput,
): Promise<TrainingRun | null> {
  const run = await deps.runs.get(input.runId);
  if (!run) {
    deps.logger.warn({ runId: input.runId, job: name }, 'step job for an unknown run, ignored');
    return null;
  }
  if (isTerminal(run)) {
    await deps.lock.release(run.id);
    return null;
  }
  const pending = run.pendingJob;
  if (!pending || pending.name !== name || pending.attempt !== (input.attempt ?? 0)) {
    deps.logger.info({ runId: run.id, job: name, attempt: input.attempt, pending }, 'stale step job, ignored');
    return null;
  }
  if (!(await deps.lock.renew(run.id))) {
    deps.logger.warn({ runId: run.id, holder: await deps.lock.holder() }, 'the training slot is held by another run');
  }
  return run;
}
