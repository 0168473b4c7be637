import { evaluationSummaryKey, RelabelError, isErrorCode } from '@relabel/contracts';
import { listAllObjects, type ModelVersionInfo, type ObjectStore } from '@relabel/ports';
import type { Head } from './head';
import type { EvaluationSummary } from './metrics';
import type { View } from './preprocess';

/**
 * Durable version state, shared by every process through the object store:
 * - `models/<version>/status.json` — the version record (status, lease, counts, evaluation)
 * - `models/<version>/head.json` + `head.bin` — the trained head (metadata + float32 weights, bias, means)
 * - `evaluation/<version>/summary.json` (`evaluationSummaryKey`) — the evaluation (per-label metrics, thresholds, confusion)
 */
export interface VersionRecord extends ModelVersionInfo {
  trainManifestKey: string;
  testManifestKey: string;
  /** Set while training: the process that trains and its last heartbeat. */
  lease?: { owner: string; heartbeatAt: string };
  skipped?: { key: string; reason: string }[];
}

const VERSION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function assertVersionName(version: string): void {
  if (!VERSION_NAME.test(version)) throw new RelabelError('REQUEST_INVALID', `Invalid model version name "${version}" (letters, digits, . _ -; max 128)`);
}

export const statusKey = (version: string) => `models/${version}/status.json`;
const headMetaKey = (version: string) => `models/${version}/head.json`;
const headDataKey = (version: string) => `models/${version}/head.bin`;
/**
 * 3: shrinkage-LDA head (weights, bias, class means, distance weights), temperature, familiarity,
 * on MobileNetV2 + InceptionV3 taps, detected on the views it names. 2: the same on MobileNetV2's
 * taps only (a prefix of format 3's vectors), detected on the frame and its mirror: still served,
 * so an upgrade keeps the live model.
 */
const HEAD_FORMAT = 3;
const LEGACY_VIEWS: View[] = ['whole', 'flip'];

const json = (value: unknown) => Buffer.from(JSON.stringify(value, null, 1));

export class VersionStore {
  constructor(private readonly store: ObjectStore) {}

  async read(version: string): Promise<VersionRecord | null> {
    if (!VERSION_NAME.test(version)) return null;
    try {
      return JSON.parse((await this.store.get(statusKey(version))).body.toString('utf8')) as VersionRecord;
    } catch (err) {
      if (isErrorCode(err, 'STORE_NOT_FOUND')) return null;
      throw err;
    }
  }

  async write(record: VersionRecord): Promise<void> {
    await this.store.put(statusKey(record.version), json(record), { contentType: 'application/json' });
  }

  async list(): Promise<VersionRecord[]> {
    const out: VersionRecord[] = [];
    for await (const item of listAllObjects(this.store, 'models/')) {
      const match = /^models\/([^/]+)\/status\.json$/.exec(item.key);
      const record = match ? await this.read(match[1]!) : null;
      if (record) out.push(record);
    }
    return out;
  }

  async writeSummary(version: string, summary: EvaluationSummary & { version: string }): Promise<void> {
    await this.store.put(evaluationSummaryKey(version), json(summary), { contentType: 'application/json' });
  }

  async writeHead(version: string, head: Head, meta: Record<string, unknown>): Promise<void> {
    const data = Buffer.concat([head.weights, head.bias, head.means, head.precision].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
    await this.store.put(headDataKey(version), data, { contentType: 'application/octet-stream' });
    const { labels, dims, blocks, temperature, familiarity, views } = head;
    await this.store.put(headMetaKey(version), json({ ...meta, format: HEAD_FORMAT, labels, dims, blocks, temperature, familiarity, views }), { contentType: 'application/json' });
  }

  /** Loads and validates a head; throws MODEL_NOT_READY when artifacts are missing or inconsistent. */
  async readHead(version: string): Promise<{ head: Head; meta: Record<string, unknown> }> {
    try {
      const meta = JSON.parse((await this.store.get(headMetaKey(version))).body.toString('utf8')) as Record<string, unknown>;
      if (meta.format !== HEAD_FORMAT && meta.format !== 2) throw new Error(`head format ${String(meta.format)} is not ${HEAD_FORMAT} (trained by an older relabel: retrain)`);
      const labels = meta.labels as string[];
      const dims = meta.dims as number;
      const raw = (await this.store.get(headDataKey(version))).body;
      const k = labels.length;
      const floats = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
      if (!Array.isArray(labels) || k < 2 || floats.length !== 2 * dims * k + k + dims) throw new Error('head artifacts are inconsistent');
      const head: Head = {
        labels,
        dims,
        blocks: meta.blocks as number[],
        weights: floats.subarray(0, dims * k),
        bias: floats.subarray(dims * k, dims * k + k),
        means: floats.subarray(dims * k + k, 2 * dims * k + k),
        precision: floats.subarray(2 * dims * k + k),
        temperature: Number(meta.temperature) || 1,
        familiarity: meta.familiarity as Head['familiarity'],
        views: meta.format === 2 ? LEGACY_VIEWS : (meta.views as View[]),
      };
      return { head, meta };
    } catch (err) {
      throw new RelabelError('MODEL_NOT_READY', `Model ${version} artifacts cannot be loaded: ${err instanceof Error ? err.message : String(err)}`, undefined, { cause: err });
    }
  }
}

/** The public view of a record (no lease or internal keys). */
export function toInfo(record: VersionRecord): ModelVersionInfo {
  const { version, status, statusMessage, createdAt, trainingEndedAt, labels, trainImages, testImages, evaluation, inferenceUnits, progress } = record;
  return Object.fromEntries(
    Object.entries({ version, status, statusMessage, createdAt, trainingEndedAt, labels, trainImages, testImages, evaluation, inferenceUnits, progress }).filter(([, v]) => v !== undefined),
  ) as unknown as ModelVersionInfo;
}
