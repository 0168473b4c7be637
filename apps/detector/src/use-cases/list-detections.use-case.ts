import { PREFIX, isErrorCode, isValid } from '@relabel/contracts';
import { listAllObjects, type ObjectStore, type ObjectInfo } from '@relabel/ports';
import { DetectionRecordSchema, DetectionView, toView } from '../domain/detection-record';

export interface DetectionListing {
  /** newest first */
  items: DetectionView[];
  /** result files under `detection_results/` (all of them, not only the ones returned) */
  total: number;
}

/**
 * The latest detections, newest first, read from `detection_results/` (the detector is the one
 * writer of that prefix). Results are ordered by their files' last-modified time, so the whole
 * prefix is listed (keys only) and just the newest `limit` records are read. `since` keeps only
 * results written at or after that time.
 */
export async function listDetections(deps: { store: ObjectStore }, options: { limit: number; since?: Date }): Promise<DetectionListing> {
  const results: ObjectInfo[] = [];
  for await (const info of listAllObjects(deps.store, PREFIX.detectionResults)) {
    if (info.key.endsWith('.json')) results.push(info);
  }
  const recent = results.filter((r) => !options.since || r.lastModified >= options.since).sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime());
  const items: DetectionView[] = [];
  // read in batches so an unreadable file does not take the place of a real result
  for (let from = 0; from < recent.length && items.length < options.limit; from += options.limit) {
    const batch = await Promise.all(recent.slice(from, from + options.limit).map((r) => readResult(deps.store, r.key)));
    items.push(...batch.filter((r): r is DetectionView => r !== null));
  }
  return { items: items.slice(0, options.limit), total: results.length };
}

async function readResult(store: Pick<ObjectStore, 'get'>, key: string): Promise<DetectionView | null> {
  try {
    const parsed: unknown = JSON.parse((await store.get(key)).body.toString('utf8'));
    // A half-done or foreign file under the prefix is left out, as GET /detections/:id would.
    return isValid(DetectionRecordSchema, parsed) ? toView(parsed) : null;
  } catch (err) {
    if (isErrorCode(err, 'STORE_NOT_FOUND') || err instanceof SyntaxError) return null;
    throw err;
  }
}
