import type { ParameterChange } from '@relabel/ports';
import type { HistoryRecord } from './parameter-history-log';
import { ParameterFile, shortName } from './parameter-file';

/**
 * Compares the file with the newest history record of each parameter: any difference is a write
 * made around the store (a hand edit, a deleted line) and becomes an `out-of-band` change with a new
 * version. Mutates `content` (bumped versions) and says whether it did, so the caller rewrites the file.
 */
export function reconcileWithHistory(
  prefix: string,
  content: ParameterFile,
  heads: Map<string, HistoryRecord>,
  at: string,
): { changes: ParameterChange[]; rewritten: boolean } {
  const changes: ParameterChange[] = [];
  let rewritten = false;
  const seen = new Set<string>();
  for (const [key, entry] of Object.entries(content)) {
    const name = shortName(prefix, key);
    if (!name) continue;
    seen.add(name);
    const head = heads.get(name);
    if (head && head.newValue === entry.Value) continue;
    const version = head ? Math.max(entry.Version, head.version) + 1 : Math.max(entry.Version, 1);
    if (version !== entry.Version) {
      entry.Version = version;
      entry.LastModifiedDate = at;
      rewritten = true;
    }
    changes.push({ name, oldValue: head?.newValue ?? null, newValue: entry.Value, version, source: 'out-of-band', at });
  }
  for (const [name, head] of heads) {
    if (seen.has(name) || head.newValue === null) continue;
    changes.push({ name, oldValue: head.newValue, newValue: null, version: head.version + 1, source: 'out-of-band', at });
  }
  return { changes, rewritten };
}
