import { RelabelError } from '@relabel/contracts';
import type { DetectedLabel, ImageInput, ObjectStore } from '@relabel/ports';
import { EmbeddingPool } from './embedding-pool';
import { predict, type Head } from './head';
import type { Keypoints } from './keypoints';
import { confirmMark, markAgreement, needsMarkCheck } from './mark-check';
import { argmax } from './metrics';
import type { VersionRecord, VersionStore } from './version-store';

/**
 * How long a RUNNING status is trusted before detect re-reads it (other processes stop versions);
 * any other status is re-read on every call, so a version is served as soon as it runs.
 */
const STATUS_TTL_MS = 1000;

/**
 * Serves detections for RUNNING versions: inference workers holding the backbone session (as many
 * as the versions' inference units) plus a cache of loaded heads per version, so switching the
 * active version never interrupts requests on the other.
 */
export class InferencePool {
  private readonly embedders: EmbeddingPool;
  private readonly heads = new Map<string, Promise<Head>>();
  private readonly statuses = new Map<string, { record: VersionRecord | null; at: number }>();

  constructor(
    private readonly versions: VersionStore,
    private readonly store: ObjectStore,
    cacheDir: string,
  ) {
    this.embedders = new EmbeddingPool(cacheDir);
  }

  private async status(version: string): Promise<VersionRecord | null> {
    const cached = this.statuses.get(version);
    if (cached && Date.now() - cached.at < STATUS_TTL_MS) return cached.record;
    const record = await this.versions.read(version);
    if (record?.status === 'RUNNING') this.statuses.set(version, { record, at: Date.now() });
    else this.statuses.delete(version);
    return record;
  }

  /** Forget a version (after stop) so its head is reloaded if it is started again. */
  evict(version: string): void {
    this.heads.delete(version);
    this.statuses.delete(version);
  }

  private head(version: string): Promise<Head> {
    let head = this.heads.get(version);
    if (!head) {
      head = this.versions.readHead(version).then((h) => h.head);
      head.catch(() => this.heads.delete(version));
      this.heads.set(version, head);
    }
    return head;
  }

  async detect(version: string, image: ImageInput, options: { minConfidence?: number; maxResults?: number } = {}): Promise<DetectedLabel[]> {
    const record = await this.status(version);
    if (!record) throw new RelabelError('MODEL_NOT_FOUND', `No model version ${version}`);
    if (record.status !== 'RUNNING') {
      this.heads.delete(version);
      throw new RelabelError('MODEL_NOT_READY', `Model version ${version} is ${record.status}, not RUNNING`);
    }
    const bytes = 'bytes' in image ? image.bytes : (await this.store.get(image.key)).body;
    this.embedders.ensureSize(record.inferenceUnits ?? 1);
    const head = await this.head(version);
    const { vectors, keypoints } = await this.embedders.embedForCheck(bytes, head.views, head.screen);
    const probs = await detectionConfidences(head, vectors, keypoints);
    const min = options.minConfidence ?? 0;
    const labels = head.labels
      .map((name, i) => ({ name, confidence: toConfidence(probs[i]!) }))
      .filter((l) => l.confidence >= min)
      .sort((a, b) => b.confidence - a.confidence || a.name.localeCompare(b.name));
    return options.maxResults !== undefined ? labels.slice(0, Math.max(0, options.maxResults)) : labels;
  }

  async close(): Promise<void> {
    this.heads.clear();
    await this.embedders.close();
  }
}

/**
 * A probability as a 0–100 confidence with three decimals, never a full 100: a classifier is not
 * certain, and "strictly below `Minimum-Label-Detection-Confidence`" at 100 must send every image
 * to review (rounding 0.999996 up to 100 would let it slip through).
 */
export function toConfidence(probability: number): number {
  return Math.min(99.999, Math.round(probability * 100_000) / 1000);
}

/**
 * What detection returns for an image's vectors: the head's confidences, and when they are sure,
 * the top label's mark looked for in the image (mark-check.ts). Benches call it too.
 */
export async function detectionConfidences(head: Head, vectors: readonly Float32Array[], keypoints: () => Promise<Keypoints>): Promise<Float64Array> {
  const probs = predict(head, vectors);
  const bank = head.marks?.[argmax(probs)];
  return bank && needsMarkCheck(probs, bank) ? confirmMark(probs, markAgreement(await keypoints(), bank), head.markOdds) : probs;
}
