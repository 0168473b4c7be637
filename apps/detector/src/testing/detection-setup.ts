import { silentLogger } from '@relabel/ports';
import type { ObjectCreated, Parameters } from '@relabel/contracts';
import { InferenceLimiter } from '../domain/inference-limiter';
import { NO_REVIEW_CAP } from '../domain/review-cap';
import {
  FixtureHumanReview,
  FixtureModelService,
  FixtureNotifier,
  MemoryDetectionLocks,
  MemoryObjectStore,
  fixedParameters,
} from './fixture-ports';

/** Wires the detection use cases to fixture ports; `live.version` is the active model pointer. */
export function detectionFixture(params: Partial<Parameters> = {}) {
  const live = { version: 'v1' as string | null, refreshes: 0 };
  const enqueued: ObjectCreated[] = [];
  const deps = {
    store: new MemoryObjectStore(),
    modelService: new FixtureModelService(),
    humanReview: new FixtureHumanReview(),
    reviewCap: NO_REVIEW_CAP,
    notifier: new FixtureNotifier(),
    locks: new MemoryDetectionLocks(),
    parameters: fixedParameters(params),
    limiter: new InferenceLimiter(2, 16),
    activeModel: {
      current: async () => live.version,
      refresh: async () => {
        live.refreshes++;
        return live.version;
      },
    },
    logger: silentLogger,
    limits: { maxBytes: 1024 * 1024, maxPixels: 4_000_000 },
    lockTtlMs: 10_000,
    maxResults: 5,
    enqueueObjectCreated: async (event: ObjectCreated) => void enqueued.push(event),
  };
  return { deps, live, enqueued };
}
