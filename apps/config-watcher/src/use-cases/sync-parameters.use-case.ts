import type { Notifier } from '@relabel/ports';
import type { ParametersCache } from '@relabel/platform';
import type { InvalidValueMonitor } from '../domain/invalid-values';
import type { StoreReadAlarm } from '../domain/store-read-alarm';

/**
 * Re-reads the store into config-watcher's cache (whose change listener publishes `config.changed`),
 * then tells the operator once about each stored value that is not in force and once when it is
 * fixed, and once when the store refuses to be read at all (e.g. a missing IAM grant) and once when
 * it reads again. Runs on the store's change notices, after every API write and periodically.
 */
export async function syncParameters(deps: { cache: ParametersCache; invalid: InvalidValueMonitor; storeAlarm: StoreReadAlarm; notifier: Notifier }): Promise<void> {
  await deps.cache.refresh();
  const at = new Date().toISOString();
  const { raised, cleared: readable } = deps.storeAlarm.update(deps.cache.readError());
  if (raised) {
    await deps.notifier.notify({
      channel: 'operator',
      type: 'parameter.store-unreadable',
      subject: `The parameter store cannot be read (${raised.code ?? 'error'}); stored values are ignored`,
      data: { code: raised.code, message: raised.message, inForce: deps.cache.current(), at },
      dedupeId: `parameter-store-unreadable:${raised.at}`,
    });
  }
  if (readable) {
    await deps.notifier.notify({
      channel: 'operator',
      type: 'parameter.store-readable',
      subject: 'The parameter store can be read again',
      data: { previously: readable.code, at },
      dedupeId: `parameter-store-readable:${readable.at}`,
    });
  }
  const { appeared, cleared } = deps.invalid.update(deps.cache.issues(), at);
  for (const issue of appeared) {
    await deps.notifier.notify({
      channel: 'operator',
      type: 'parameter.invalid',
      subject: `Ignored invalid value for ${issue.name}; ${JSON.stringify(issue.inForce)} stays in force`,
      data: { parameter: issue.name, value: issue.value, inForce: issue.inForce, reason: issue.reason, at },
      dedupeId: `parameter-invalid:${issue.name}:${issue.value ?? 'missing'}`,
    });
  }
  for (const issue of cleared) {
    await deps.notifier.notify({
      channel: 'operator',
      type: 'parameter.fixed',
      subject: `${issue.name} is valid again`,
      data: { parameter: issue.name, previouslyInvalid: issue.value, value: deps.cache.current()[issue.name], at },
      dedupeId: `parameter-fixed:${issue.name}:${issue.since}`,
    });
  }
}
