import { evaluationSummaryKey, RelabelError, isErrorCode } from '@relabel/contracts';
import { listAllObjects, type ModelVersionInfo, type ObjectStore } from '@relabel/ports';
import type { Head, LinearHead } from './head';
import { decodeMarkBanks, encodeMarkBanks, type MarkBankMeta } from './mark-check';
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
const marksKey = (version: string) => `models/${version}/marks.bin`;
/**
 * 5: format 4 plus the mark check's keypoint banks (`marks.bin`, mark-check.ts; head.json's
 * `marks` says, per label, how many training images its bank holds and whether it is checkable;
 * `markOdds`, added later without a new format, the likelihood ratio of a found mark, 1 when absent).
 * 4: format 3 plus the screen (the same arrays and calibration for MobileNetV2's taps, after the
 * head's arrays in head.bin). 3: shrinkage-LDA head (weights, bias, class means, distance weights),
 * temperature, familiarity, on MobileNetV2 + InceptionV3 taps, detected on the views it names.
 * 2: the same on MobileNetV2's taps only (a prefix of format 3's vectors), detected on the frame and
 * its mirror. Formats 2 and 3 are still served (without a screen), so an upgrade keeps the live model.
 */
const HEAD_FORMAT = 5;
const SERVED_FORMATS = [2, 3, 4, HEAD_FORMAT];
const arrays = (h: LinearHead) => [h.weights, h.bias, h.means, h.precision];
const floatCount = (dims: number, k: number) => 2 * dims * k + k + dims;
function linearHead(floats: Float32Array, dims: number, k: number, meta: Record<string, unknown>): LinearHead {
  return {
    dims,
    blocks: meta.blocks as number[],
    weights: floats.subarray(0, dims * k),
    bias: floats.subarray(dims * k, dims * k + k),
    means: floats.subarray(dims * k + k, 2 * dims * k + k),
    precision: floats.subarray(2 * dims * k + k, floatCount(dims, k)),
    temperature: Number(meta.temperature) || 1,
    familiarity: meta.familiarity as LinearHead['familiarity'],
  };
}
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
    const parts = [...arrays(head), ...(head.screen ? arrays(head.screen) : [])];
    const data = Buffer.concat(parts.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
    await this.store.put(headDataKey(version), data, { contentType: 'application/octet-stream' });
    const marks = head.marks && encodeMarkBanks(head.marks);
    if (marks) await this.store.put(marksKey(version), marks.bytes, { contentType: 'application/octet-stream' });
    const { labels, dims, blocks, temperature, familiarity, views } = head;
    const screen = head.screen && { dims: head.screen.dims, blocks: head.screen.blocks, temperature: head.screen.temperature, familiarity: head.screen.familiarity, sure: head.screen.sure };
    await this.store.put(headMetaKey(version), json({ ...meta, format: HEAD_FORMAT, labels, dims, blocks, temperature, familiarity, views, screen, marks: marks?.meta, markOdds: head.markOdds }), { contentType: 'application/json' });
  }

  /** Loads and validates a head; throws MODEL_NOT_READY when artifacts are missing or inconsistent. */
  async readHead(version: string): Promise<{ head: Head; meta: Record<string, unknown> }> {
    try {
      const meta = JSON.parse((await this.store.get(headMetaKey(version))).body.toString('utf8')) as Record<string, unknown>;
      if (!SERVED_FORMATS.includes(meta.format as number)) throw new Error(`head format ${String(meta.format)} is not ${HEAD_FORMAT} (trained by an older relabel: retrain)`);
      const labels = meta.labels as string[];
      const dims = meta.dims as number;
      const screenMeta = (meta.format as number) >= 4 ? (meta.screen as (Record<string, unknown> & { dims: number; sure: number }) | undefined) : undefined;
      const raw = (await this.store.get(headDataKey(version))).body;
      const k = Array.isArray(labels) ? labels.length : 0;
      const floats = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
      const expected = floatCount(dims, k) + (screenMeta ? floatCount(screenMeta.dims, k) : 0);
      if (k < 2 || floats.length !== expected) throw new Error('head artifacts are inconsistent');
      const head: Head = {
        labels,
        ...linearHead(floats, dims, k, meta),
        views: meta.format === 2 ? LEGACY_VIEWS : (meta.views as View[]),
        ...(screenMeta ? { screen: { ...linearHead(floats.subarray(floatCount(dims, k)), screenMeta.dims, k, screenMeta), sure: Number(screenMeta.sure) } } : {}),
      };
      const markMeta = meta.format === HEAD_FORMAT ? (meta.marks as MarkBankMeta[] | undefined) : undefined;
      if (markMeta) {
        if (markMeta.length !== k) throw new Error('mark banks do not match the labels');
        head.marks = decodeMarkBanks((await this.store.get(marksKey(version))).body, markMeta);
        if (typeof meta.markOdds === 'number') head.markOdds = meta.markOdds;
      }
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
