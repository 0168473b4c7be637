import { Queue, JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOBS, JobMap, JobNames, JobPayload, ObjectCreated, QueueName, parseWith } from '@relabel/contracts';

/** Retries with exponential backoff; finished jobs are kept a while so their jobId still de-duplicates. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 50_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/** A producer that refuses to enqueue a payload its queue contract does not allow. */
export class TypedQueue<Q extends QueueName> {
  readonly queue: Queue;

  constructor(readonly name: Q, connection: Redis, prefix: string) {
    this.queue = new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
  }

  async add<J extends JobNames<Q>>(jobName: J, payload: JobPayload<Q, J>, opts: JobsOptions = {}): Promise<string | undefined> {
    const schemas = JOBS[this.name] as Record<string, import('@sinclair/typebox').TSchema>;
    const schema = schemas[jobName];
    if (!schema) throw new Error(`queue ${this.name} has no job ${jobName}`);
    parseWith(schema, payload, 'CONTRACT_INVALID_PAYLOAD', `${this.name}/${jobName} payload`);
    const job = await this.queue.add(jobName, payload, opts);
    return job.id;
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

/**
 * The queues whose contract carries an ObjectCreated event as job `object-created`: the ones an
 * inbox or the reconcile can feed. Derived from the contract, so a new such queue needs no change here.
 */
export type ObjectEventQueue = { [Q in QueueName]: JobMap[Q] extends { 'object-created': ObjectCreated } ? Q : never }[QueueName];
