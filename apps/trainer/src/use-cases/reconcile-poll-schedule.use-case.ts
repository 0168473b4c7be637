import type { Parameters } from '@relabel/contracts';
import type { PollScheduler } from '../infra/poll-scheduler';

export type ScheduleChange = 'removed' | 'absent' | 'unchanged' | 'created' | 'retimed';

/**
 * Makes the repeatable poll match the parameters (flow A → B.1): present every
 * `Automatic-Training-Poll-Frequency` minutes while `Enable-Automatic-Training` is true, absent
 * otherwise. Re-timing never enables a disabled poll, and a new or re-timed schedule first fires one
 * full interval later, so enabling it does not train at once. An unchanged schedule is left alone,
 * so restarts do not push the next poll back.
 */
export async function reconcilePollSchedule(
  deps: { scheduler: PollScheduler; clock: () => Date },
  params: Pick<Parameters, 'Enable-Automatic-Training' | 'Automatic-Training-Poll-Frequency'>,
): Promise<ScheduleChange> {
  const current = await deps.scheduler.currentEveryMs();
  if (!params['Enable-Automatic-Training']) {
    if (current === null) return 'absent';
    await deps.scheduler.remove();
    return 'removed';
  }
  const everyMs = params['Automatic-Training-Poll-Frequency'] * 60_000;
  if (current === everyMs) return 'unchanged';
  await deps.scheduler.upsert(everyMs, new Date(deps.clock().getTime() + everyMs));
  return current === null ? 'created' : 'retimed';
}
