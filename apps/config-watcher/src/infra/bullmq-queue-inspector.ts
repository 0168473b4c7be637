import type { FastifyInstance } from 'fastify';
import { QUEUES } from '@relabel/contracts';
import type { QueueInspector } from '../use-cases/get-status.use-case';

const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed'] as const;

/** Queue depths and the newest failed jobs of every relabel queue, read from BullMQ. */
export function bullmqQueueInspector(app: FastifyInstance): QueueInspector {
  const queues = Object.values(QUEUES);
  return {
    async depths() {
      const entries = await Promise.all(queues.map(async (name) => [name, await app.queues.get(name).queue.getJobCounts(...STATES)] as const));
      return Object.fromEntries(entries);
    },
    async recentFailures(perQueue) {
      const lists = await Promise.all(
        queues.map(async (name) => {
          const jobs = await app.queues.get(name).queue.getFailed(0, perQueue - 1);
          return jobs.filter(Boolean).map((job) => ({
            at: new Date(job.finishedOn ?? job.timestamp).toISOString(),
            source: `${name}/${job.name}#${job.id}`,
            message: job.failedReason || 'failed',
          }));
        }),
      );
      return lists.flat();
    },
  };
}
