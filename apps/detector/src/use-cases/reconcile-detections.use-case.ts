import { detectionResultKey, PREFIX, type ObjectCreated } from '@relabel/contracts';
import { listAllObjects, type ObjectStore } from '@relabel/ports';
import { reconcileObjects, type ReconcileObjectsReport, type RequeueOutcome } from '@relabel/platform';

export interface ReconcileDetectionsDeps {
  store: Pick<ObjectStore, 'list' | 'bucket'>;
  /** puts the image's object-created job back (de-duplicated by job id) */
  requeue(event: ObjectCreated): Promise<RequeueOutcome>;
  /** images younger than this are the inbox's (a hand copy may still be in progress) */
  graceMs: number;
  now?: () => Date;
}

/**
 * Flow C rebuilt from the bucket: every object under `images_for_detection/` whose result is missing
 * or older than the image is put back on the detection queue. Two paginated listings and no reads
 * (100k images: 200 LIST pages, a map of ~10 MB), so it is cheap enough to sweep often. "Older than
 * the image" is only a hint — a re-written image, or a result left unfinished — and the detection
 * itself compares the eTags, so a requeued image that was in fact done costs one small read and
 * produces nothing twice.
 */
export async function reconcileDetections(deps: ReconcileDetectionsDeps): Promise<ReconcileObjectsReport> {
  const results = new Map<string, number>();
  for await (const info of listAllObjects(deps.store, PREFIX.detectionResults)) results.set(info.key, info.lastModified.getTime());
  return reconcileObjects({
    ...deps,
    prefix: PREFIX.forDetection,
    isDone: (image) => (results.get(detectionResultKey(image.key)) ?? -Infinity) >= image.lastModified.getTime(),
  });
}
