import { QUEUES } from '@relabel/contracts';
import type { TypedQueue } from '@relabel/platform';

export type StepJobName = 'await-training' | 'await-start' | 'deploy';
export interface PendingJob {
  name: StepJobName;
  id: string;
  attempt: number;
}

/**
 * The trainer's own jobs on the training queue. Job ids are deterministic per run and step, so a
 * retried handler that schedules its next step again is de-duplicated by BullMQ.
 */
export interface TrainingJobs {
  check(payload: { runId: string; force: boolean; trigger: 'schedule' | 'api' }): Promise<void>;
  /** Schedules a step job for the run; `attempt` numbers the re-polls of that step. */
  step(name: StepJobName, payload: { runId: string; version: string }, attempt: number, delayMs: number): Promise<PendingJob>;
  /** true while the job still waits, is delayed or runs */
  isAlive(jobId: string): Promise<boolean>;
}

const ALIVE = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

export function stepJobId(name: StepJobName, runId: string, attempt: number): string {
  return `${name}-${runId}-${attempt}`;
}

type Training = typeof QUEUES.training;

export function bullTrainingJobs(queue: TypedQueue<Training>): TrainingJobs {
  return {
    async check(payload) {
      await queue.add('check', payload, { jobId: `check-${payload.runId}` });
    },
    async step(name, payload, attempt, delayMs) {
      const id = stepJobId(name, payload.runId, attempt);
      const options = { jobId: id, delay: delayMs };
      // A run's own deploy carries its run id as the request id (a manual deploy brings its own).
      if (name === 'deploy') await queue.add(name, { version: payload.version, runId: payload.runId, requestId: payload.runId, attempt }, options);
      else await queue.add(name, { ...payload, attempt }, options);
      return { name, id, attempt };
    },
    async isAlive(jobId) {
      const job = await queue.queue.getJob(jobId);
      if (!job) return false;
      return ALIVE.has(await job.getState());
    },
  };
}
