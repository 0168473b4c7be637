import { auditsPrefix, describeDrift, summarizeAuditListing, type LiveAccuracy } from '@relabel/contracts';
import { listAllObjects, type HumanReview, type ObjectStore, type OperationalStateStore } from '@relabel/ports';
import type { ParametersCache } from '@relabel/platform';
import type { ActiveInvalidValue, InvalidValueMonitor, SeenInvalidValue } from '../domain/invalid-values';
import type { RecentErrors, RecordedError } from '../domain/recent-errors';
import { countUntrainedImages, UntrainedImages } from './count-untrained-images.use-case';
import { sectionCollector } from '../domain/sections';

/** Queue depths and recent job failures; implemented over BullMQ by the status plugin. */
export interface QueueInspector {
  depths(): Promise<Record<string, Record<string, number>>>;
  recentFailures(perQueue: number): Promise<RecordedError[]>;
}

export interface SystemStatus {
  at: string;
  activeModel: string | null;
  versionsInFlight: string[];
  untrainedImages: UntrainedImages | null;
  pendingHumanLoops: { count: number; truncated: boolean } | null;
  queues: Record<string, Record<string, number>> | null;
  lastErrors: RecordedError[];
  invalidParameters: ActiveInvalidValue[];
  recentInvalidParameters: SeenInvalidValue[];
  parameterStore: { readable: boolean; error?: string; code?: string; lastRefresh?: string };
  /** live accuracy of each version from answered audits (durable in the bucket, so a Redis flush keeps it) */
  liveAccuracy: LiveAccuracy[] | null;
  driftAlarms: Array<{ version: string; message: string }>;
  /** sections that could not be computed, and why; the rest is still answered */
  unavailable: Array<{ section: string; message: string }>;
}

const MAX_LOOP_PAGES = 10;

export interface StatusDeps {
  objectStore: ObjectStore;
  operationalState: OperationalStateStore;
  humanReview: HumanReview;
  queues: QueueInspector;
  cache: ParametersCache;
  invalid: InvalidValueMonitor;
  errors: RecentErrors;
}

/** `GET /status` (apps/config-watcher/README.md): one answer even when a part of the system is down. */
export async function getStatus(deps: StatusDeps): Promise<SystemStatus> {
  const { unavailable, section } = sectionCollector();
  const minimumF1Score = deps.cache.current()['Minimum-F1-Score'];
  const [state, untrainedImages, pendingHumanLoops, queues, failures, liveAccuracy] = await Promise.all([
    section('operationalState', () => deps.operationalState.getAll()),
    section('untrainedImages', () => countUntrainedImages(deps)),
    section('pendingHumanLoops', () => countPendingLoops(deps.humanReview)),
    section('queues', () => deps.queues.depths()),
    section('lastErrors', () => deps.queues.recentFailures(5)),
    section('liveAccuracy', () => summarizeAuditListing(listAllObjects(deps.objectStore, auditsPrefix()), minimumF1Score)),
  ]);
  const readError = deps.cache.readError();
  return {
    at: new Date().toISOString(),
    activeModel: state?.activeModelVersion ?? null,
    versionsInFlight: state?.versionsInFlight ?? [],
    untrainedImages,
    pendingHumanLoops,
    queues,
    lastErrors: [...(failures ?? []), ...deps.errors.list()].sort((a, b) => b.at.localeCompare(a.at)).slice(0, 20),
    invalidParameters: deps.invalid.current(),
    recentInvalidParameters: deps.invalid.recent(),
    parameterStore: { readable: !readError, error: readError?.message, code: readError?.code, lastRefresh: deps.cache.lastRefresh() },
    liveAccuracy,
    driftAlarms: (liveAccuracy ?? []).filter((a) => a.drift.alarm).map((a) => ({ version: a.version, message: describeDrift(a) })),
    unavailable,
  };
}

async function countPendingLoops(review: HumanReview): Promise<{ count: number; truncated: boolean }> {
  let count = 0;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_LOOP_PAGES; page++) {
    const result = await review.listHumanLoops({ status: 'pending', cursor, limit: 1000 });
    count += result.items.length;
    cursor = result.nextCursor;
    if (!cursor) return { count, truncated: false };
  }
  return { count, truncated: true };
}
