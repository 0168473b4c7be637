import { isValid, RelabelError } from '@relabel/contracts';
import { OPERATIONAL_STATE_ITEM_SCHEMAS, OPERATIONAL_STATE_ITEMS, OperationalState, OperationalStateItem } from '@relabel/ports';

/**
 * How an operational state item is kept as a small JSON document (`{ "value": …, "updatedAt": … }`),
 * shared by the file and the object-store adapters so both read what the other wrote.
 */
export function assertItem(item: string): asserts item is OperationalStateItem {
  if (!(OPERATIONAL_STATE_ITEMS as string[]).includes(item)) throw new RelabelError('NOT_FOUND', `unknown operational state item ${JSON.stringify(item)}`);
}

/** The value in `text`; one that is not valid is an error, never silently reset (`where` names the document). */
export function decodeItem<K extends OperationalStateItem>(item: K, text: string, where: string): OperationalState[K] {
  let parsed: unknown;
  try {
    parsed = (JSON.parse(text) as { value?: unknown }).value;
  } catch {
    parsed = undefined;
  }
  if (!isValid(OPERATIONAL_STATE_ITEM_SCHEMAS[item], parsed)) {
    throw new RelabelError('DEPENDENCY_UNAVAILABLE', `operational state ${where} does not hold a valid ${item}`);
  }
  return parsed as OperationalState[K];
}

export function encodeItem(item: OperationalStateItem, value: unknown): string {
  if (!isValid(OPERATIONAL_STATE_ITEM_SCHEMAS[item], value)) {
    throw new RelabelError('CONTRACT_INVALID_PAYLOAD', `invalid value for operational state ${item}`);
  }
  return `${JSON.stringify({ value, updatedAt: new Date().toISOString() }, null, 2)}\n`;
}

export async function getAllItems(get: <K extends OperationalStateItem>(item: K) => Promise<OperationalState[K]>): Promise<OperationalState> {
  const values = await Promise.all(OPERATIONAL_STATE_ITEMS.map((item) => get(item)));
  return Object.fromEntries(OPERATIONAL_STATE_ITEMS.map((item, i) => [item, values[i]])) as unknown as OperationalState;
}
