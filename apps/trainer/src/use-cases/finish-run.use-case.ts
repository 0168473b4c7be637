import type { TrainingRun } from '../domain/training-run.schema';
import type { TrainerDeps } from './trainer-deps';
import { clearInFlight } from '../infra/versions-in-flight';

export type Outcome = 'skipped' | 'deployed' | 'rejected' | 'failed';

type Deps = Pick<TrainerDeps, 'runs' | 'lock' | 'state' | 'notifier' | 'observeRun' | 'clock' | 'logger'>;

export interface FinishOptions {
  reason?: string;
  /** remember the outcome for this dataset (not for infrastructure trouble, which is not the data's fault) */
  recordDataset?: boolean;
  notify?: { type: string; subject: string; data?: Record<string, unknown> };
}

/**
 * Ends a run: remembers the dataset's outcome, takes the version off the in-flight list, frees the
 * training slot and tells the operator. Every part is idempotent, so a retried job can finish again.
 * The lock is released last: nobody can start while the books are still being closed.
 */
export async function finishRun(deps: Deps, run: TrainingRun, outcome: Outcome, options: FinishOptions = {}): Promise<TrainingRun> {
  const now = deps.clock();
  if (options.recordDataset && run.kind === 'training' && run.dataset && outcome !== 'skipped') {
    await deps.runs.recordDatasetOutcome(run.dataset.fingerprint, { outcome, runId: run.id, ...(run.version ? { version: run.version } : {}) });
  }
  if (run.version && outcome !== 'skipped') await clearInFlight(deps.state, run.version);
  if ((await deps.runs.inFlight()) === run.id) await deps.runs.setInFlight(null);
  if (options.notify) {
    await deps.notifier.notify({
      channel: 'operator',
      type: options.notify.type,
      subject: options.notify.subject,
      data: { runId: run.id, version: run.version ?? null, reason: options.reason ?? null, ...options.notify.data },
      dedupeId: `${run.id}.${outcome}`,
    });
  }
  const { pendingJob: _done, ...rest } = run;
  const saved = await deps.runs.put({ ...rest, status: outcome, ...(options.reason ? { reason: options.reason } : {}), finishedAt: now.toISOString() }, now);
  deps.observeRun(saved);
  await deps.lock.release(run.id);
  deps.logger.info({ runId: run.id, version: run.version, outcome, reason: options.reason }, 'run finished');
  return saved;
}

/** The failure path shared by every step: reported, slot freed, live model untouched. */
export function failRun(deps: Deps, run: TrainingRun, reason: string, recordDataset: boolean): Promise<TrainingRun> {
  const deploy = run.kind === 'deploy' || run.status === 'deploying';
  return finishRun(deps, run, 'failed', {
    reason,
    recordDataset,
    notify: {
      type: run.kind === 'deploy' ? 'deployment.failed' : 'training.failed',
      subject: deploy ? `Deployment of ${run.version ?? run.id} failed; the live model keeps serving` : `Training run ${run.id} failed`,
    },
  });
}
