import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { RelabelError } from '@relabel/contracts';
import type { Logger, ModelService, ModelVersionInfo, ObjectStore } from '@relabel/ports';
import { ensureBackboneOnnx } from './backbone';
import { InferencePool } from './inference';
import { startTrainingJob, type TrainingJob } from './training-job';
import { assertVersionName, toInfo, VersionStore, type VersionRecord } from './version-store';

export interface LocalModelServiceOptions {
  /** Where the converted backbone (.onnx) and the embedding cache live; shared by processes. */
  cacheDir: string;
  /** Heartbeat period of a training lease (default 5 s). */
  heartbeatMs?: number;
  /** A training whose lease is older than this is declared dead (default 60 s). */
  leaseMs?: number;
}

/**
 * The embedded "Custom Labels": frozen MobileNetV2 features + a trained, calibrated softmax head.
 * All state is in the object store (see version-store.ts), so the trainer process can train and
 * start a version while the detector process serves it.
 *
 * A training interrupted by the death of its process is not resumed: once its lease has not been
 * renewed for `leaseMs`, the next describe or create in any process marks it TRAINING_FAILED
 * ("training process stopped"), and the trainer creates a new version (embeddings are cached, so
 * the retry is cheap).
 */
export function createLocalModelService(deps: { store: ObjectStore; logger: Logger }, opts: LocalModelServiceOptions): ModelService & { close(): Promise<void> } {
  const versions = new VersionStore(deps.store);
  const logger = deps.logger.child({ component: 'local-model-service' });
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  const heartbeatMs = opts.heartbeatMs ?? 5000;
  const leaseMs = opts.leaseMs ?? 60_000;
  const pool = new InferencePool(versions, deps.store, opts.cacheDir);
  const jobs = new Map<string, TrainingJob>();
  const starts = new Set<Promise<void>>();

  /** Declares trainings with an expired lease dead (idempotent: every reader writes the same). */
  const reap = async (record: VersionRecord): Promise<VersionRecord> => {
    if (record.status !== 'TRAINING_IN_PROGRESS' || jobs.has(record.version)) return record;
    const beat = Date.parse(record.lease?.heartbeatAt ?? record.createdAt);
    if (Date.now() - beat <= leaseMs) return record;
    const failed: VersionRecord = { ...record, status: 'TRAINING_FAILED', statusMessage: `training process stopped (no heartbeat since ${new Date(beat).toISOString()})`, trainingEndedAt: new Date().toISOString() };
    delete failed.lease;
    await versions.write(failed);
    logger.warn({ modelVersion: record.version }, 'training lease expired; version marked TRAINING_FAILED');
    return failed;
  };

  const mustRead = async (version: string): Promise<VersionRecord> => {
    const record = await versions.read(version);
    if (!record) throw new RelabelError('MODEL_NOT_FOUND', `No model version ${version}`);
    return reap(record);
  };

  const service: ModelService & { close(): Promise<void> } = {
    async createVersion({ version, trainManifestKey, testManifestKey }) {
      assertVersionName(version);
      const existing = await versions.read(version);
      // Idempotent for retried jobs: the same name answers the version already created.
      if (existing) return toInfo(await reap(existing));
      const inFlight = await Promise.all((await versions.list()).map(reap));
      const busy = inFlight.find((r) => r.status === 'TRAINING_IN_PROGRESS');
      if (busy) throw new RelabelError('TRAINING_IN_FLIGHT', `Model version ${busy.version} is still training`);
      const now = new Date().toISOString();
      const record: VersionRecord = { version, status: 'TRAINING_IN_PROGRESS', statusMessage: 'queued', createdAt: now, trainManifestKey, testManifestKey, lease: { owner, heartbeatAt: now } };
      await versions.write(record);
      const job = startTrainingJob({ store: deps.store, versions, logger, cacheDir: opts.cacheDir, owner, heartbeatMs }, { ...record });
      jobs.set(version, job);
      void job.done.finally(() => jobs.delete(version));
      return toInfo(record);
    },

    async describeVersions(names?: string[]): Promise<ModelVersionInfo[]> {
      const records = names ? (await Promise.all(names.map((n) => versions.read(n)))).filter((r): r is VersionRecord => r !== null) : await versions.list();
      const current = await Promise.all(records.map(reap));
      return current.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map(toInfo);
    },

    async startVersion(version, inferenceUnits) {
      if (!Number.isInteger(inferenceUnits) || inferenceUnits < 1) throw new RelabelError('REQUEST_INVALID', 'inferenceUnits must be an integer ≥ 1');
      const record = await mustRead(version);
      if (record.status === 'RUNNING' || record.status === 'STARTING') {
        await versions.write({ ...record, inferenceUnits });
        return;
      }
      if (!['TRAINING_COMPLETED', 'STOPPED', 'FAILED'].includes(record.status) || !record.evaluation) {
        throw new RelabelError('MODEL_NOT_READY', `Model version ${version} is ${record.status} and cannot be started`);
      }
      await versions.write({ ...record, status: 'STARTING', statusMessage: 'loading artifacts', inferenceUnits });
      // Like Custom Labels, start answers at once; the version turns RUNNING once its artifacts
      // (head and backbone graph) load and validate, or FAILED with the reason.
      const start = (async () => {
        try {
          await versions.readHead(version);
          await ensureBackboneOnnx(opts.cacheDir);
          const latest = await mustRead(version);
          if (latest.status === 'STARTING') await versions.write({ ...latest, status: 'RUNNING', statusMessage: `running with ${inferenceUnits} inference unit(s)` });
        } catch (err) {
          const latest = (await versions.read(version)) ?? record;
          await versions.write({ ...latest, status: 'FAILED', statusMessage: err instanceof Error ? err.message : String(err) });
        }
      })();
      starts.add(start);
      void start.finally(() => starts.delete(start));
    },

    async stopVersion(version) {
      const record = await mustRead(version);
      if (record.status === 'STOPPED') return;
      if (!['RUNNING', 'STARTING', 'FAILED', 'STOPPING'].includes(record.status)) throw new RelabelError('MODEL_NOT_READY', `Model version ${version} is ${record.status} and cannot be stopped`);
      await versions.write({ ...record, status: 'STOPPING', statusMessage: 'releasing inference units' });
      pool.evict(version);
      await versions.write({ ...record, status: 'STOPPED', statusMessage: 'stopped' });
    },

    detect: (version, image, options) => pool.detect(version, image, options),

    async close() {
      await Promise.all([...jobs.values()].map((job) => job.cancel('model service closed during training')));
      await Promise.all([...starts]);
      await pool.close();
    },
  };
  return service;
}
