import type { ParameterHistoryPage, ParameterStore } from '@relabel/ports';
import { assertKnownParameter } from './read-parameters.use-case';

/** The audit log, newest first, optionally for one parameter. */
export async function listParameterHistory(
  deps: { store: ParameterStore },
  query: { name?: string; cursor?: string; limit: number },
): Promise<ParameterHistoryPage> {
  const name = query.name === undefined ? undefined : assertKnownParameter(query.name);
  return deps.store.history({ name, cursor: query.cursor, limit: query.limit });
}
