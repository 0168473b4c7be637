import type { Queue } from 'bullmq';
import { ObjectCreated, ObjectCreatedSchema, objectCreatedJobId, parseWith } from '@relabel/contracts';

export type RequeueOutcome = 'queued' | 'retried' | 'exists';

/**
 * Puts the object-created job of an object that has no outcome back on its queue, under the same
 * job id the inbox uses, so a job still waiting (or running) is never doubled. A job that used up
 * its attempts on transient errors is retried (once per reconcile): its object still has no outcome.
 * One that failed before its attempts ran out was refused as permanent and stays failed.
 */
export async function requeueObjectCreated(queue: Queue, event: ObjectCreated): Promise<RequeueOutcome> {
  const payload = parseWith(ObjectCreatedSchema, event, 'CONTRACT_INVALID_PAYLOAD', 'ObjectCreated event');
  const jobId = objectCreatedJobId(payload);
  const existing = await queue.getJob(jobId);
  if (existing) {
    if (!(await existing.isFailed())) return 'exists';
    if (existing.attemptsMade < (existing.opts.attempts ?? 1)) return 'exists';
    await existing.retry('failed');
    return 'retried';
  }
  await queue.add('object-created', payload, { jobId });
  return 'queued';
}
