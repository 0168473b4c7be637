import type { ParameterChange, ParameterHistoryPage, ParameterStore } from '@relabel/ports';
import { assertKnownParameter } from './read-parameters.use-case';

const API_SOURCE = 'api:';

/** The audit log, newest first, optionally for one parameter; each API change names its account. */
export async function listParameterHistory(
  deps: { store: ParameterStore },
  query: { name?: string; cursor?: string; limit: number },
): Promise<Omit<ParameterHistoryPage, 'items'> & { items: Array<ParameterChange & { account: string | null }> }> {
  const name = query.name === undefined ? undefined : assertKnownParameter(query.name);
  const page = await deps.store.history({ name, cursor: query.cursor, limit: query.limit });
  return { ...page, items: page.items.map((c) => ({ ...c, account: c.source.startsWith(API_SOURCE) ? c.source.slice(API_SOURCE.length) : null })) };
}
