import type { TrainingRun } from '../domain/training-run.schema';
import { stepJobId } from '../infra/training-jobs';
import type { TrainerDeps } from './trainer-deps';

export type LostRunOutcome = 'alive' | 'resumed' | 'not-started';

/**
 * An unfinished run whose queued job may have been lost with Redis: `alive` when its job still
 * waits or runs, `resumed` when it was past its snapshot and its next step is queued again, and
 * `not-started` when it never got as far as a model version (nothing to resume).
 */
export async function resumeIfLost(deps: Pick<TrainerDeps, 'runs' | 'jobs' | 'clock' | 'logger'>, run: TrainingRun): Promise<LostRunOutcome> {
  const liveJob = run.pendingJob?.id ?? (run.kind === 'training' ? `check-${run.id}` : null);
  if (liveJob && (await deps.jobs.isAlive(liveJob))) return 'alive';
  if (!run.version || run.status === 'queued' || run.status === 'checking') return 'not-started';
  const name = run.pendingJob?.name ?? 'await-training';
  const attempt = (run.pendingJob?.attempt ?? 0) + 1;
  // Saved before queued, so the resumed job finds itself expected (this may run outside the worker).
  await deps.runs.put({ ...run, pendingJob: { name, id: stepJobId(name, run.id, attempt), attempt } }, deps.clock());
  const next = await deps.jobs.step(name, { runId: run.id, version: run.version }, attempt, 0);
  deps.logger.warn({ runId: run.id, job: next.id }, 'resumed a run whose jobs were lost');
  return 'resumed';
}
