import type { OperationalStateStore } from '@relabel/ports';

type State = Pick<OperationalStateStore, 'get' | 'set'>;

/**
 * `versionsInFlight` (versions being trained or started), read-modify-written in one place. The
 * trainer is its only writer and its run steps are serialised by the training slot, so the read and
 * the write cannot interleave with another writer's. Writes only when the list changes.
 */
export async function markInFlight(state: State, version: string, options: { replacing?: string } = {}): Promise<void> {
  const current = await state.get('versionsInFlight');
  const kept = current.filter((v) => v !== options.replacing);
  if (kept.length === current.length && kept.includes(version)) return;
  await state.set('versionsInFlight', [...kept.filter((v) => v !== version), version]);
}

export async function clearInFlight(state: State, version: string): Promise<void> {
  const current = await state.get('versionsInFlight');
  if (current.includes(version)) await state.set('versionsInFlight', current.filter((v) => v !== version));
}
