import type { Parameters } from '@relabel/contracts';
import type { SystemStatus } from './get-status.use-case';
import { detectionsPerHour, DetectionSample, HourBucket } from '../domain/detection-rates';
import type { ServiceClient } from '../infra/service-client';
import { sectionCollector } from '../domain/sections';

/** The fields of the trainer's model and run views the console joins (its API is the contract). */
export interface ModelSummary {
  version: string;
  status: string;
  live: boolean;
  createdAt: string;
  f1?: number;
  labels?: string[];
  progress?: { stage: string; done: number; total: number };
}
export interface RunSummary {
  id: string;
  kind: string;
  status: string;
  version?: string;
  createdAt: string;
  updatedAt: string;
  steps: Array<{ name: string; status: string }>;
}

export interface ConsoleOverview {
  at: string;
  status: SystemStatus | null;
  parameters: Parameters;
  liveModel: (ModelSummary & { since?: string }) | null;
  training: { run: RunSummary; progress: ModelSummary['progress'] | null } | null;
  schedule: { nextPollAt: string | null; everyMs: number } | null;
  detections: { hours: HourBucket[]; counted: number; total: number } | null;
  unavailable: Array<{ section: string; message: string }>;
}

export interface OverviewDeps {
  status(): Promise<SystemStatus>;
  parameters(): Parameters;
  schedule(): Promise<{ nextPollAt: string | null; everyMs: number } | null>;
  trainer: ServiceClient;
  detector: ServiceClient;
}

const TERMINAL = ['skipped', 'deployed', 'rejected', 'failed'];
const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_COUNTED = 1000;

/** Joins runs with the model versions they train, so an in-flight run carries its progress. */
export function withProgress<R extends RunSummary>(runs: R[], models: ModelSummary[]): Array<R & { progress: ModelSummary['progress'] | null }> {
  const byVersion = new Map(models.map((m) => [m.version, m]));
  return runs.map((run) => ({ ...run, progress: (run.version && !TERMINAL.includes(run.status) && byVersion.get(run.version)?.progress) || null }));
}

/** The overview page: every part answered on its own, so one service down leaves the rest shown. */
export async function consoleOverview(deps: OverviewDeps, now: Date): Promise<ConsoleOverview> {
  const { unavailable, section } = sectionCollector();
  const since = new Date(now.getTime() - DAY_MS).toISOString();
  const [status, models, runs, detections, schedule] = await Promise.all([
    section('status', deps.status),
    section('models', () => deps.trainer.get<{ items: ModelSummary[] }>('/models')),
    section('trainings', () => deps.trainer.get<{ items: RunSummary[] }>('/trainings?limit=10')),
    section('detections', () => deps.detector.get<{ items: DetectionSample[]; total: number }>(`/detections?limit=${MAX_COUNTED}&since=${encodeURIComponent(since)}`)),
    section('schedule', deps.schedule),
  ]);
  const live = models?.items.find((m) => m.live) ?? null;
  const deployedAt = live && runs ? runs.items.find((r) => r.status === 'deployed' && r.version === live.version)?.updatedAt : undefined;
  const inFlight = runs && models ? withProgress(runs.items, models.items).find((r) => !TERMINAL.includes(r.status)) : undefined;
  return {
    at: now.toISOString(),
    status: status ?? null,
    parameters: deps.parameters(),
    liveModel: live ? { ...live, ...(deployedAt ? { since: deployedAt } : {}) } : null,
    training: inFlight ? { run: inFlight, progress: inFlight.progress } : null,
    schedule,
    detections: detections ? { hours: detectionsPerHour(detections.items, now), counted: detections.items.length, total: detections.total } : null,
    unavailable: [...unavailable, ...(status?.unavailable ?? [])],
  };
}
