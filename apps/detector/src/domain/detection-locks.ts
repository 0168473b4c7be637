/** Releases a held lock; safe to call twice. */
export type LockRelease = () => Promise<void>;

/**
 * Per-image mutual exclusion between the POST path and the event worker (and between duplicate jobs
 * on several replicas). Locks expire after `ttlMs`, so a crashed holder never blocks an image for
 * ever; the durable de-duplication is the result file's eTag, the lock only stops two detections of
 * the same image running at the same moment.
 */
export interface DetectionLocks {
  tryAcquire(imageKey: string, ttlMs: number): Promise<LockRelease | null>;
}
