import { isErrorCode, parseWith } from '@relabel/contracts';
import { listAllObjects, ObjectStore } from '@relabel/ports';
import { Type } from '@sinclair/typebox';
import type { DatasetOutcome } from '../domain/criteria';
import { runSortKey } from '../domain/run-id';
import { TrainingRun, TrainingRunSchema } from '../domain/training-run.schema';

/**
 * Where the trainer keeps its history: JSON objects in the object store (durable in both profiles,
 * atomic puts), never only in Redis.
 * - `trainer/runs/<runId>.json` — every check and deployment with its steps (a training run's id
 *   is also its model version name);
 * - `trainer/datasets/<fingerprint>.json` — what became of each trained dataset;
 * - `trainer/in-flight.json` — the run holding the training slot, so a check can find and resume
 *   it if Redis (lock and delayed jobs) was lost.
 * The trainer is the only writer of these keys.
 */
export const TRAINER_PREFIX = 'trainer/';
const RUNS = `${TRAINER_PREFIX}runs/`;
const DATASETS = `${TRAINER_PREFIX}datasets/`;
const IN_FLIGHT = `${TRAINER_PREFIX}in-flight.json`;

const DatasetOutcomeSchema = Type.Object({
  outcome: Type.Union([Type.Literal('deployed'), Type.Literal('rejected'), Type.Literal('failed')]),
  runId: Type.String(),
  version: Type.Optional(Type.String()),
});
const InFlightSchema = Type.Object({ runId: Type.String() });

export class RunRecords {
  constructor(private readonly store: ObjectStore) {}

  async get(id: string): Promise<TrainingRun | null> {
    if (!/^[A-Za-z0-9_.-]{1,128}$/.test(id)) return null;
    const json = await this.readJson(`${RUNS}${id}.json`);
    return json === null ? null : parseWith(TrainingRunSchema, json, 'INTERNAL', `run record ${id}`);
  }

  async put(run: TrainingRun, now: Date): Promise<TrainingRun> {
    const saved = { ...run, updatedAt: now.toISOString() };
    await this.writeJson(`${RUNS}${run.id}.json`, saved);
    return saved;
  }

  /** Newest first. Lists every key (cheap next to reading records) and reads only `limit` of them. */
  async list(limit: number): Promise<TrainingRun[]> {
    const ids: string[] = [];
    for await (const info of listAllObjects(this.store, RUNS)) {
      if (info.key.endsWith('.json')) ids.push(info.key.slice(RUNS.length, -'.json'.length));
    }
    ids.sort((a, b) => (runSortKey(a) < runSortKey(b) ? 1 : -1));
    const runs = await Promise.all(ids.slice(0, limit).map((id) => this.get(id)));
    return runs.filter((r): r is TrainingRun => r !== null);
  }

  async datasetOutcome(fingerprint: string): Promise<DatasetOutcome | null> {
    const json = await this.readJson(`${DATASETS}${fingerprint}.json`);
    return json === null ? null : parseWith(DatasetOutcomeSchema, json, 'INTERNAL', 'dataset outcome');
  }

  async recordDatasetOutcome(fingerprint: string, outcome: DatasetOutcome): Promise<void> {
    await this.writeJson(`${DATASETS}${fingerprint}.json`, outcome);
  }

  async inFlight(): Promise<string | null> {
    const json = await this.readJson(IN_FLIGHT);
    return json === null ? null : parseWith(InFlightSchema, json, 'INTERNAL', 'in-flight pointer').runId;
  }

  async setInFlight(runId: string | null): Promise<void> {
    if (runId === null) await this.store.delete(IN_FLIGHT);
    else await this.writeJson(IN_FLIGHT, { runId });
  }

  private async readJson(key: string): Promise<unknown | null> {
    try {
      const object = await this.store.get(key);
      return JSON.parse(object.body.toString('utf8'));
    } catch (err) {
      if (isErrorCode(err, 'STORE_NOT_FOUND')) return null;
      throw err;
    }
  }

  private async writeJson(key: string, value: unknown): Promise<void> {
    await this.store.put(key, Buffer.from(JSON.stringify(value, null, 1)), { contentType: 'application/json' });
  }
}
