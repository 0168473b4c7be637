import type { ObjectCreated } from '@relabel/contracts';
import { listAllObjects, type ObjectInfo, type ObjectStore } from '@relabel/ports';
import type { ReconcileReport } from './reconciler';
import type { RequeueOutcome } from './requeue';

export interface ReconcileObjectsOptions {
  store: Pick<ObjectStore, 'list' | 'bucket'>;
  prefix: string;
  /** which listed objects are work at all (e.g. only `…/output.json`) */
  accept?: (info: ObjectInfo) => boolean;
  /** whether the object already has its durable outcome */
  isDone(info: ObjectInfo): boolean | Promise<boolean>;
  requeue(event: ObjectCreated): Promise<RequeueOutcome>;
  /** objects younger than this are left to the inbox (a hand copy may still be in progress) */
  graceMs: number;
  now?: () => Date;
}

export interface ReconcileObjectsReport extends ReconcileReport {
  objects: number;
  deferred: number;
  queued: number;
  retried: number;
}

/**
 * One paginated listing of `prefix`; every object without its outcome and older than the grace
 * period gets its object-created job back (the same event an inbox would have sent).
 */
export async function reconcileObjects(opts: ReconcileObjectsOptions): Promise<ReconcileObjectsReport> {
  const cutoff = (opts.now?.() ?? new Date()).getTime() - opts.graceMs;
  const report: ReconcileObjectsReport = { objects: 0, pending: 0, deferred: 0, queued: 0, retried: 0 };
  for await (const info of listAllObjects(opts.store, opts.prefix)) {
    if (opts.accept && !opts.accept(info)) continue;
    report.objects += 1;
    if (await opts.isDone(info)) continue;
    if (info.lastModified.getTime() > cutoff) {
      report.deferred += 1;
      continue;
    }
    report.pending += 1;
    const event = { bucket: opts.store.bucket, key: info.key, size: info.size, eTag: info.eTag, eventTime: info.lastModified.toISOString() };
    const outcome = await opts.requeue(event);
    if (outcome === 'queued') report.queued += 1;
    if (outcome === 'retried') report.retried += 1;
  }
  return report;
}
