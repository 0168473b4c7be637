import { defaultParameters, formatParameterValue, PARAMETER_NAMES, RelabelError } from '@relabel/contracts';
import { silentLogger, type Notification, type ParameterStore, type StoredParameter } from '@relabel/ports';
import { ParametersCache } from '@relabel/platform';
import { InvalidValueMonitor } from '../domain/invalid-values';
import { StoreReadAlarm } from '../domain/store-read-alarm';
import { syncParameters } from './sync-parameters.use-case';

/** A store whose reads can be made to fail the way SSM does when the role lacks the path's grant. */
function deniableStore() {
  let denied = false;
  const defaults = defaultParameters();
  const stored: StoredParameter[] = PARAMETER_NAMES.map((name) => ({ name, value: formatParameterValue(defaults[name]), version: 1, lastModified: '2026-01-01T00:00:00.000Z' }));
  const store: ParameterStore = {
    async getAll() {
      if (denied) throw new RelabelError('PARAM_STORE_ACCESS_DENIED', 'SSM GetParametersByPath /relabel was denied (AccessDeniedException)');
      return stored;
    },
    async put() {
      throw new Error('not used');
    },
    async history() {
      return { items: [] };
    },
    async watch() {
      return async () => undefined;
    },
  };
  return { store, deny: (on: boolean) => void (denied = on) };
}

describe('syncParameters when the store refuses to be read', () => {
  it('notifies the operator once when reads are denied, and once when they work again', async () => {
    const { store, deny } = deniableStore();
    const sent: Notification[] = [];
    const cache = new ParametersCache({ store, logger: silentLogger, refreshMs: 60_000 });
    const deps = { cache, invalid: new InvalidValueMonitor(), storeAlarm: new StoreReadAlarm(), notifier: { notify: async (n: Notification) => void sent.push(n) } };
    await cache.start();
    deny(true);
    await syncParameters(deps);
    await syncParameters(deps);
    expect(sent.map((n) => n.type)).toEqual(['parameter.store-unreadable']);
    expect(sent[0]).toMatchObject({ channel: 'operator', data: { code: 'PARAM_STORE_ACCESS_DENIED' } });
    expect(cache.readError()).toMatchObject({ code: 'PARAM_STORE_ACCESS_DENIED', retryable: false });
    deny(false);
    await syncParameters(deps);
    expect(sent.map((n) => n.type)).toEqual(['parameter.store-unreadable', 'parameter.store-readable']);
    await cache.stop();
  });
});
