import { INITIAL_OPERATIONAL_STATE, ObjectStore, OperationalState, OperationalStateItem, OperationalStateStore } from '@relabel/ports';
import { assertItem, decodeItem, encodeItem, getAllItems } from './operational-state-codec';

/** Where the items live in the bucket, beside the trainer's own bookkeeping (`trainer/…`). */
export const OPERATIONAL_STATE_PREFIX = 'state/operational/';

/**
 * Operational state as one JSON object per item in the object store
 * (`state/operational/<item>.json`). A put replaces an object whole (S3 and the folder store both
 * guarantee it), so with one writer per item readers on any machine see the old or the new value —
 * which lets several machines share the live-model pointer through one bucket without SSM.
 * The store's errors (unavailable, throttled) pass through with their codes.
 */
export function createObjectStoreOperationalStateStore(deps: { store: ObjectStore }): OperationalStateStore {
  const keyOf = (item: OperationalStateItem) => `${OPERATIONAL_STATE_PREFIX}${item}.json`;

  async function get<K extends OperationalStateItem>(item: K): Promise<OperationalState[K]> {
    assertItem(item);
    let body: Buffer;
    try {
      ({ body } = await deps.store.get(keyOf(item)));
    } catch (err) {
      if ((err as { code?: string }).code === 'STORE_NOT_FOUND') return structuredClone(INITIAL_OPERATIONAL_STATE[item]);
      throw err;
    }
    return decodeItem(item, body.toString('utf8'), `object ${keyOf(item)}`);
  }

  return {
    get,
    getAll: () => getAllItems(get),
    async set(item, value) {
      assertItem(item);
      await deps.store.put(keyOf(item), Buffer.from(encodeItem(item, value)), { contentType: 'application/json' });
    },
  };
}
