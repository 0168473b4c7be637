import path from 'path';
import { RelabelError } from '@relabel/contracts';
import { INITIAL_OPERATIONAL_STATE, OperationalState, OperationalStateItem, OperationalStateStore } from '@relabel/ports';
import { readFileIfExists, writeFileAtomic } from '../fs/atomic-file';
import { assertItem, decodeItem, encodeItem, getAllItems } from './operational-state-codec';

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
    return decodeItem(item, text, `file ${fileOf(item)}`);
  }

  return {
    get,
    getAll: () => getAllItems(get),
    async set(item, value) {
      assertItem(item);
      const body = encodeItem(item, value);
      try {
        await writeFileAtomic(fileOf(item), body);
      } catch (err) {
        throw new RelabelError('DEPENDENCY_UNAVAILABLE', `operational state ${item} cannot be written: ${(err as Error).message}`, undefined, { cause: err });
      }
    },
  };
}
