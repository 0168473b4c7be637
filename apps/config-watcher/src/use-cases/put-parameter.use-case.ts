import { describeRange, formatParameterValue, parseParameterValue, RelabelError } from '@relabel/contracts';
import type { Notifier, ParameterStore } from '@relabel/ports';
import type { ParametersCache } from '@relabel/platform';
import type { InvalidValueMonitor } from '../domain/invalid-values';
import type { ParameterView } from '../domain/parameter-view';
import type { StoreReadAlarm } from '../domain/store-read-alarm';
import { assertKnownParameter, getParameter } from './read-parameters.use-case';
import { syncParameters } from './sync-parameters.use-case';

const MAX_VALUE_LENGTH = 64;

/**
 * Validates a value exactly like every service will parse it (PARAM_INVALID names the parameter, the
 * value and the range, and nothing is written), stores its canonical form with the caller recorded,
 * then syncs config-watcher's cache, which publishes `config.changed` before this resolves. Writing
 * the value already in force records nothing.
 */
export async function putParameter(
  deps: { store: ParameterStore; cache: ParametersCache; invalid: InvalidValueMonitor; storeAlarm: StoreReadAlarm; notifier: Notifier },
  input: { name: string; value: unknown; caller: string },
): Promise<{ parameter: ParameterView; changed: boolean; previous: string | null }> {
  const name = assertKnownParameter(input.name);
  // no valid value is this long; refusing early keeps a huge body out of the error message and logs
  if (typeof input.value === 'string' && input.value.length > MAX_VALUE_LENGTH) {
    throw new RelabelError('PARAM_INVALID', `${name}: a value of ${input.value.length} characters is not allowed; expected ${describeRange(name)}`, {
      parameter: name,
      value: `${input.value.slice(0, 32)}…`,
      allowed: describeRange(name),
    });
  }
  const canonical = formatParameterValue(parseParameterValue(name, input.value));
  const before = (await deps.store.getAll()).find((p) => p.name === name);
  const changed = before?.value !== canonical;
  if (changed) await deps.store.put(name, canonical, { source: `api:${input.caller}` });
  await syncParameters(deps);
  return { parameter: await getParameter(deps, name), changed, previous: before?.value ?? null };
}
