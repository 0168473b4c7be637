import { QUEUES, TRAINING_POLL_SCHEDULER_ID } from '@relabel/contracts';
import type { TypedQueue } from '@relabel/platform';

/** The repeatable training poll, as the reconcile use case sees it. */
export interface PollScheduler {
  /** the interval in force, or null when there is no schedule */
  currentEveryMs(): Promise<number | null>;
  /** Creates or re-times the schedule; its first poll fires at `firstAt`, not at once. */
  upsert(everyMs: number, firstAt: Date): Promise<void>;
  remove(): Promise<void>;
}

/** On the training queue's BullMQ job scheduler (read through the platform's typed queue). */
export function bullPollScheduler({ queue }: Pick<TypedQueue<typeof QUEUES.training>, 'queue'>): PollScheduler {
  return {
    async currentEveryMs() {
      const scheduler = await queue.getJobScheduler(TRAINING_POLL_SCHEDULER_ID);
      return scheduler?.every ?? null;
    },
    async upsert(everyMs, firstAt) {
      await queue.upsertJobScheduler(TRAINING_POLL_SCHEDULER_ID, { every: everyMs, startDate: firstAt }, { name: 'poll', data: {} });
    },
    async remove() {
      await queue.removeJobScheduler(TRAINING_POLL_SCHEDULER_ID);
    },
  };
}
