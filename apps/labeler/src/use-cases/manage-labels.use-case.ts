import { assertValidLabel, NONE_OF_THE_ABOVE, RelabelError } from '@relabel/contracts';
import type { OperationalStateStore } from '@relabel/ports';

/**
 * The labeler is the only writer of `declaredLabels`; chaining the read-modify-writes keeps two
 * concurrent requests of this process from losing each other's update.
 */
let chain: Promise<unknown> = Promise.resolve();
function serialised<T>(fn: () => Promise<T>): Promise<T> {
  const run = chain.then(fn, fn);
  chain = run.catch(() => undefined);
  return run;
}

function checkDeclarable(name: string): string {
  if (name === NONE_OF_THE_ABOVE) throw new RelabelError('REVIEW_INVALID_LABEL', `"${NONE_OF_THE_ABOVE}" is always offered and cannot be declared`);
  return assertValidLabel(name);
}

/** Declares an extra review category (idempotent). Answers `created: false` if it was declared already. */
export async function declareLabel(deps: { operationalState: OperationalStateStore }, name: string): Promise<{ name: string; created: boolean }> {
  const label = checkDeclarable(name);
  return serialised(async () => {
    const current = await deps.operationalState.get('declaredLabels');
    if (current.includes(label)) return { name: label, created: false };
    await deps.operationalState.set('declaredLabels', [...current, label].sort());
    return { name: label, created: true };
  });
}

/**
 * Retires a declared category. Training-set folders stay categories while they hold images (the
 * folder is the label); retiring only removes the declaration.
 */
export async function retireLabel(deps: { operationalState: OperationalStateStore }, name: string): Promise<{ name: string; removed: boolean }> {
  const label = checkDeclarable(name);
  return serialised(async () => {
    const current = await deps.operationalState.get('declaredLabels');
    if (!current.includes(label)) return { name: label, removed: false };
    await deps.operationalState.set('declaredLabels', current.filter((l) => l !== label));
    return { name: label, removed: true };
  });
}
