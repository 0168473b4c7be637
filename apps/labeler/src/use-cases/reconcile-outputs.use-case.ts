import { basename } from 'path';
import { PREFIX, type ObjectCreated } from '@relabel/contracts';
import { listAllObjects, type ObjectStore } from '@relabel/ports';
import { reconcileObjects, type ReconcileObjectsReport, type RequeueOutcome } from '@relabel/platform';
import type { IngestionLog } from '../domain/ingestion-record';

export interface ReconcileOutputsDeps {
  store: Pick<ObjectStore, 'list' | 'bucket'>;
  log: Pick<IngestionLog, 'forLoop'>;
  requeue(event: ObjectCreated): Promise<RequeueOutcome>;
  /** outputs younger than this are the inbox's */
  graceMs: number;
  now?: () => Date;
}

/** `a2i-human-loop-data/<flow>/YYYY/MM/DD/hh/mm/ss/<loop>/output.json` → `<loop>` */
function loopOf(outputKey: string): string {
  return basename(outputKey.slice(0, -'/output.json'.length));
}

/** Whether some name in the sorted list starts with `prefix` (binary search: 100k names, ~17 steps). */
function hasPrefix(sorted: string[], prefix: string): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo]!.startsWith(prefix);
}

/**
 * Flow D rebuilt from the bucket: an `output.json` counts as ingested when its labelled copy
 * (`images_labeled_by_folder/<label>/humanLoopName-<loop>-…`) exists — durable — or, for answers that
 * copy nothing (`None of the Above`, rejections), when the ingestion log knows the loop. The rest is
 * put back on the human-loop-output queue; ingestion is idempotent, so a requeued output that was in
 * fact done records its outcome again and copies nothing twice. Two listings, and a Redis read only
 * for outputs without a copy.
 */
export async function reconcileOutputs(deps: ReconcileOutputsDeps): Promise<ReconcileObjectsReport> {
  const copies: string[] = [];
  for await (const info of listAllObjects(deps.store, PREFIX.labeled)) {
    const name = basename(info.key);
    if (name.startsWith('humanLoopName-')) copies.push(name);
  }
  copies.sort();
  return reconcileObjects({
    ...deps,
    prefix: PREFIX.humanLoopData,
    accept: (info) => info.key.endsWith('/output.json'),
    isDone: async (output) => {
      const loop = loopOf(output.key);
      return hasPrefix(copies, `humanLoopName-${loop}-`) || (await deps.log.forLoop(loop)) !== null;
    },
  });
}
