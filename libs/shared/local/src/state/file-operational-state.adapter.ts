import path from 'path';
import { isValid, RelabelError } from '@relabel/contracts';
import { INITIAL_OPERATIONAL_STATE, OPERATIONAL_STATE_ITEM_SCHEMAS, OPERATIONAL_STATE_ITEMS, OperationalState, OperationalStateItem, OperationalStateStore } from '@relabel/ports';
import { readFileIfExists, writeFileAtomic } from './atomic-file';

const ITEM_SCHEMAS = OPERATIONAL_STATE_ITEM_SCHEMAS;
const ITEMS = OPERATIONAL_STATE_ITEMS;

/**
 * Operational state as one small JSON file per item (`<dir>/<item>.json`, `{ "value": … }`), each
 * replaced atomically by its single writer and readable from every process. A missing file means the
 * initial value. A file that does not hold a valid value is an error, never silently reset: forgetting
 * which model is live is worse than refusing to answer.
 */
export function createFileOperationalStateStore(opts: { dir: string }): OperationalStateStore {
  const dir = path.resolve(opts.dir);
  const fileOf = (item: OperationalStateItem) => path.join(dir, `${item}.json`);

  async function get<K extends OperationalStateItem>(item: K): Promise<OperationalState[K]> {
    assertItem(item);
    let text: string | null;
    try {
      text = await readFileIfExists(fileOf(item));
    } catch (err) {
      throw new RelabelError('DEPENDENCY_UNAVAILABLE', `operational state ${item} cannot be read: ${(err as Error).message}`, undefined, { cause: err });
    }
    if (text === null) return structuredClone(INITIAL_OPERATIONAL_STATE[item]);
    let parsed: unknown;
    try {
      parsed = (JSON.parse(text) as { value?: unknown }).value;
    } catch {
      parsed = undefined;
    }
    if (!isValid(ITEM_SCHEMAS[item], parsed)) {
      throw new RelabelError('DEPENDENCY_UNAVAILABLE', `operational state file ${fileOf(item)} does not hold a valid ${item}`);
    }
    return parsed as OperationalState[K];
  }

  return {
    get,
    async getAll() {
      const values = await Promise.all(ITEMS.map((item) => get(item)));
      return Object.fromEntries(ITEMS.map((item, i) => [item, values[i]])) as unknown as OperationalState;
    },
    async set(item, value) {
      assertItem(item);
      if (!isValid(ITEM_SCHEMAS[item], value)) {
        throw new RelabelError('CONTRACT_INVALID_PAYLOAD', `invalid value for operational state ${item}`);
      }
      const body = `${JSON.stringify({ value, updatedAt: new Date().toISOString() }, null, 2)}\n`;
      try {
        await writeFileAtomic(fileOf(item), body);
      } catch (err) {
        throw new RelabelError('DEPENDENCY_UNAVAILABLE', `operational state ${item} cannot be written: ${(err as Error).message}`, undefined, { cause: err });
      }
    },
  };
}

function assertItem(item: string): asserts item is OperationalStateItem {
  if (!(ITEMS as string[]).includes(item)) throw new RelabelError('NOT_FOUND', `unknown operational state item ${JSON.stringify(item)}`);
}
