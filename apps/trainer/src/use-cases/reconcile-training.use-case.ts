import type { ReconcileReport } from '@relabel/platform';
import { isTerminal } from '../domain/training-run.schema';
import { resumeIfLost } from './resume-lost-run.use-case';
import type { TrainerDeps } from './trainer-deps';

/** How many of the newest runs are looked at for a lost `POST /trainings` check. */
const RECENT_RUNS = 20;

export interface ReconcileTrainingReport extends ReconcileReport {
  inFlight: string | null;
  resumed: number;
  checksQueued: number;
}

/**
 * Flow B rebuilt from the bucket: the run named by `trainer/in-flight.json` gets its lost step
 * queued again (and the slot back), and a recent `POST /trainings` run still `queued` whose check
 * job is gone gets its check again (same job id, so never twice). One small read plus the newest
 * run records — no scan of the training set.
 */
export async function reconcileTraining(deps: Pick<TrainerDeps, 'runs' | 'jobs' | 'lock' | 'clock' | 'logger'>): Promise<ReconcileTrainingReport> {
  const report: ReconcileTrainingReport = { pending: 0, inFlight: null, resumed: 0, checksQueued: 0 };
  const pointer = await deps.runs.inFlight();
  const run = pointer ? await deps.runs.get(pointer) : null;
  if (run && !isTerminal(run)) {
    report.inFlight = run.id;
    if ((await resumeIfLost(deps, run)) === 'resumed') {
      // After a flush the slot is free: take it back for the run, as its steps would.
      await deps.lock.acquire(run.id);
      report.resumed += 1;
      report.pending += 1;
    }
  }
  for (const recent of await deps.runs.list(RECENT_RUNS)) {
    if (recent.kind !== 'training' || recent.status !== 'queued' || recent.trigger !== 'api') continue;
    if (await deps.jobs.isAlive(`check-${recent.id}`)) continue;
    await deps.jobs.check({ runId: recent.id, force: recent.force, trigger: 'api' });
    report.checksQueued += 1;
    report.pending += 1;
  }
  return report;
}
