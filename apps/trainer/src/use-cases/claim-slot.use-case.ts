import { isTerminal } from '../domain/training-run.schema';
import { failRun } from './finish-run.use-case';
import { resumeIfLost } from './resume-lost-run.use-case';
import type { TrainerDeps } from './trainer-deps';

type Deps = Pick<TrainerDeps, 'runs' | 'lock' | 'jobs' | 'state' | 'notifier' | 'observeRun' | 'clock' | 'logger'>;

/**
 * Takes the single training slot for `runId`. The Redis lock decides; the durable in-flight pointer
 * catches the case where the lock expired or Redis was flushed while a run was still under way: if
 * that run's next job is still queued it keeps the slot, if its jobs were lost it is resumed (and
 * keeps the slot), and only a run that never got going is closed as interrupted.
 */
export async function claimSlot(deps: Deps, runId: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  const got = await deps.lock.acquire(runId);
  if (!got.acquired) return { ok: false, reason: `a training or deployment is in flight (run ${got.holder ?? 'unknown'})` };
  const pointer = await deps.runs.inFlight();
  const other = pointer && pointer !== runId ? await deps.runs.get(pointer) : null;
  if (other && !isTerminal(other)) {
    const handBack = async () => {
      await deps.lock.release(runId);
      await deps.lock.acquire(other.id);
    };
    const lost = await resumeIfLost(deps, other);
    if (lost === 'alive') {
      await handBack();
      return { ok: false, reason: `run ${other.id} is in flight` };
    }
    if (lost === 'resumed') {
      await handBack();
      return { ok: false, reason: `run ${other.id} had lost its queued step and was resumed` };
    }
    await failRun(deps, other, 'interrupted before training started', false);
    // failRun released only the other run's lock; ours is still held.
  }
  await deps.runs.setInFlight(runId);
  return { ok: true };
}
