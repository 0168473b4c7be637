import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { RelabelError } from '@relabel/contracts';
import type { ReviewWorkbench } from '@relabel/ports';
import { cached } from '../domain/category-cache';
import type { IngestionLog } from '../domain/ingestion-record';
import { createRedisIngestionLog } from '../infra/redis-ingestion-log';
import { listReviewCategories, ReviewCategories } from '../use-cases/review-categories.use-case';

const CATEGORY_TTL_MS = 2000;

export interface LabelerContext {
  /** the review categories, cached for a moment (writers invalidate) */
  categories: { get(): Promise<ReviewCategories>; invalidate(): void };
  ingestionLog: IngestionLog;
  /** the local review workbench; a 404 where reviews happen in the A2I portal */
  workbench(): ReviewWorkbench;
}

declare module 'fastify' {
  interface FastifyInstance {
    labeler: LabelerContext;
  }
}

/** The labeler's shared capabilities, built once from the platform's providers. */
async function labelerContext(app: FastifyInstance): Promise<void> {
  const { providers } = app;
  const context: LabelerContext = {
    categories: cached(() => listReviewCategories({ store: providers.objectStore, operationalState: providers.operationalState }), CATEGORY_TTL_MS),
    ingestionLog: createRedisIngestionLog(app.redis, app.config.keyPrefix),
    workbench() {
      const workbench = providers.reviewWorkbench;
      if (!workbench) throw new RelabelError('NOT_FOUND', 'the review UI runs in the local profile; in aws reviewers use the A2I worker portal');
      return workbench;
    },
  };
  app.decorate('labeler', context);
}

export const labelerContextPlugin = fp(labelerContext, { name: 'relabel-labeler-context', dependencies: ['relabel-platform'] });
