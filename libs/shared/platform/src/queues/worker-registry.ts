import { DelayedError, Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { TSchema } from '@sinclair/typebox';
import { JOBS, JobNames, JobPayload, QueueName, isRelabelError, isValid, describeErrors } from '@relabel/contracts';
import type { Logger } from '@relabel/ports';

/** What a handler may know of its job; the queue library's own types stay inside the platform. */
export interface JobContext {
  readonly id?: string;
  readonly name: string;
  /** when the job was created (ms since the epoch) */
  readonly timestamp: number;
  readonly attemptsMade: number;
  readonly opts: { readonly attempts?: number };
}

/**
 * A handler's answer "not now": the job waits `ms` and runs again, without spending an attempt and
 * without counting as a failure (e.g. another request holds the image). Return it with `delayJob`.
 */
export class JobDelay {
  constructor(
    readonly ms: number,
    readonly reason: string,
  ) {}
}

export function delayJob(ms: number, reason: string): JobDelay {
  return new JobDelay(ms, reason);
}

export type JobHandlers<Q extends QueueName> = {
  [J in JobNames<Q>]: (payload: JobPayload<Q, J>, job: JobContext) => Promise<unknown>;
};

export interface WorkerOptions {
  concurrency?: number;
  /** how long a job may run without its lock being renewed before another worker takes it */
  lockDurationMs?: number;
}

export interface JobObserver {
  (queue: string, jobName: string, outcome: 'completed' | 'failed' | 'retry' | 'delayed', seconds: number): void;
}

/**
 * Builds the processor for one queue: validates the payload where it enters, dispatches by job
 * name, and decides retry vs. permanent failure from the error catalog.
 */
export function buildProcessor<Q extends QueueName>(queue: Q, handlers: JobHandlers<Q>, logger: Logger, observe: JobObserver) {
  const schemas = JOBS[queue] as Record<string, TSchema>;
  const expected = Object.keys(schemas).sort();
  const given = Object.keys(handlers).sort();
  if (expected.join() !== given.join()) {
    // A job with no handler would fail for ever; two registries for one name would race. Refuse to boot.
    throw new Error(`queue ${queue}: handlers [${given}] do not match the contract's jobs [${expected}]`);
  }
  return async (job: Job, token?: string): Promise<unknown> => {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    const schema = schemas[job.name];
    if (!schema) throw new UnrecoverableError(`CONTRACT_INVALID_PAYLOAD: unknown job name ${job.name}`);
    if (!isValid(schema, job.data)) {
      const reason = `CONTRACT_INVALID_PAYLOAD: ${describeErrors(schema, job.data)}`;
      logger.warn({ queue, job: job.name, jobId: job.id, reason }, 'malformed job payload, not retried');
      observe(queue, job.name, 'failed', seconds());
      throw new UnrecoverableError(reason);
    }
    const handler = (handlers as Record<string, (p: unknown, j: JobContext) => Promise<unknown>>)[job.name]!;
    let result: unknown;
    try {
      result = await handler(job.data, job);
    } catch (err) {
      if (err instanceof UnrecoverableError || (isRelabelError(err) && !err.retryable)) {
        const code = isRelabelError(err) ? err.code : 'PERMANENT';
        logger.warn({ queue, job: job.name, jobId: job.id, code, err: (err as Error).message }, 'job failed permanently');
        observe(queue, job.name, 'failed', seconds());
        throw new UnrecoverableError(`${code}: ${(err as Error).message}`);
      }
      logger.warn({ queue, job: job.name, jobId: job.id, attempt: job.attemptsMade + 1, err: (err as Error).message }, 'job failed, will retry');
      observe(queue, job.name, 'retry', seconds());
      throw err;
    }
    if (result instanceof JobDelay) {
      const lockToken = token ?? job.token;
      if (!lockToken) throw new Error(`job ${job.id} cannot be delayed without its lock token`);
      logger.debug({ queue, job: job.name, jobId: job.id, delayMs: result.ms, reason: result.reason }, 'job delayed');
      observe(queue, job.name, 'delayed', seconds());
      await job.moveToDelayed(Date.now() + result.ms, lockToken);
      // BullMQ's way of hearing "moved, not finished": the job is neither completed nor failed.
      throw new DelayedError();
    }
    observe(queue, job.name, 'completed', seconds());
    return result;
  };
}

/** Holds every worker of a service so they start together and close first, draining active jobs. */
export class WorkerRegistry {
  private readonly workers: Worker[] = [];

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
    private readonly observe: JobObserver,
  ) {}

  register<Q extends QueueName>(queue: Q, handlers: JobHandlers<Q>, options: WorkerOptions = {}): Worker {
    if (this.workers.some((w) => w.name === queue)) throw new Error(`a worker for ${queue} is already registered`);
    const processor = buildProcessor(queue, handlers, this.logger, this.observe);
    const worker = new Worker(queue, processor, {
      connection: this.connection,
      prefix: this.prefix,
      concurrency: options.concurrency ?? 1,
      lockDuration: options.lockDurationMs ?? 60_000,
      autorun: false,
    });
    // An EventEmitter without an error listener crashes the process on the first Redis hiccup.
    worker.on('error', (err) => this.logger.error({ queue, err: err.message }, 'worker error'));
    worker.on('failed', (job, err) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        this.logger.error({ queue, job: job.name, jobId: job.id, err: err.message }, 'job exhausted its attempts');
      }
    });
    this.workers.push(worker);
    return worker;
  }

  start(): void {
    for (const worker of this.workers) {
      worker.run().catch((err: Error) => this.logger.error({ queue: worker.name, err: err.message }, 'worker stopped'));
    }
  }

  /** Waits for active jobs to finish (graceful); a second call forces. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }

  get size(): number {
    return this.workers.length;
  }
}

