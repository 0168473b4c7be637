import type { Embedder } from './embedder';
import { DEFAULT_HEAD_OPTIONS, fitTemperature, logits, softmax, trainHead, type Head, type Sample } from './head';
import { evaluate, type EvaluationSummary } from './metrics';
import type { View } from './preprocess';
import { stableHash } from './random';

/** Views embedded per training image: the letterboxed frame and its mirror (augmentation). */
export const TRAIN_VIEWS: readonly View[] = ['whole', 'flip'];
/**
 * Views whose logits are averaged at detection and evaluation time. Only the frame itself: a
 * mirrored pass (test-time augmentation) would double detection latency at the 448 input size.
 */
export const DETECT_VIEWS: readonly View[] = ['whole'];

export interface LabelledImage {
  key: string;
  label: string;
  bytes: Uint8Array;
}

export interface TrainingResult {
  head: Head;
  evaluation: EvaluationSummary;
  trainImages: number;
  testImages: number;
  /** Images that could not be read or decoded, with the reason; skipped, not fatal when few. */
  skipped: { key: string; reason: string }[];
}

export class TrainingFailure extends Error {}

export type Progress = (stage: string, done: number, total: number) => void;

/** Mean of per-view logits: the TTA score used for calibration, evaluation and detection alike. */
export function viewLogits(head: Head, vectors: Float32Array[]): Float64Array {
  const sum = new Float64Array(head.labels.length);
  for (const v of vectors) logits(head, v).forEach((z, i) => (sum[i]! += z / vectors.length));
  return sum;
}

async function embedAll(embedder: Embedder, images: LabelledImage[], views: readonly View[], stage: string, progress: Progress, skipped: TrainingResult['skipped']) {
  const out: { image: LabelledImage; vectors: Float32Array[] }[] = [];
  for (const [i, image] of images.entries()) {
    try {
      out.push({ image, vectors: await embedder.embed(Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength), views) });
    } catch (err) {
      skipped.push({ key: image.key, reason: err instanceof Error ? err.message : String(err) });
    }
    if (i % 10 === 9 || i === images.length - 1) progress(stage, i + 1, images.length);
  }
  return out;
}

/**
 * Labels with fewer training images give no calibration images: with so few, the probe head (on
 * 80% of the data) is clearly weaker than the final one, the fitted temperature comes out too high
 * and the final confidences too timid (bench: ECE 0.27–0.32 at 5–10 images/label with the fitted
 * temperature, 0.04–0.09 with none). Without calibration images the temperature stays 1.
 */
const MIN_IMAGES_TO_CALIBRATE = 25;

/** ~20% of each label's images (by a stable hash of the key), to fit the temperature on. */
function calibrationSplit<T extends { image: LabelledImage }>(items: T[]): { fit: T[]; calibrate: T[] } {
  const byLabel = new Map<string, T[]>();
  for (const item of items) byLabel.set(item.image.label, [...(byLabel.get(item.image.label) ?? []), item]);
  const fit: T[] = [];
  const calibrate: T[] = [];
  for (const group of byLabel.values()) {
    const sorted = [...group].sort((a, b) => stableHash(a.image.key) - stableHash(b.image.key));
    const n = group.length >= MIN_IMAGES_TO_CALIBRATE ? Math.round(group.length * 0.2) : 0;
    calibrate.push(...sorted.slice(0, n));
    fit.push(...sorted.slice(n));
  }
  return { fit, calibrate };
}

export async function runTraining(embedder: Embedder, train: LabelledImage[], test: LabelledImage[], progress: Progress = () => undefined): Promise<TrainingResult> {
  const labels = [...new Set(train.map((i) => i.label))].sort();
  if (labels.length < 2) throw new TrainingFailure(`training needs at least two labels, the train manifest has ${labels.length}`);
  const skipped: TrainingResult['skipped'] = [];
  const trained = await embedAll(embedder, train, TRAIN_VIEWS, 'embedding train images', progress, skipped);
  if (trained.length < train.length * 0.8) throw new TrainingFailure(`${train.length - trained.length} of ${train.length} training images are unreadable`);
  const present = new Set(trained.map((t) => t.image.label));
  if (present.size < 2) throw new TrainingFailure('fewer than two labels have readable training images');
  const index = new Map(labels.map((l, i) => [l, i]));
  const samplesOf = (items: typeof trained): Sample[] => items.flatMap((t) => t.vectors.map((x) => ({ x, y: index.get(t.image.label)! })));
  const detectVectors = (t: (typeof trained)[number]) => t.vectors.slice(0, DETECT_VIEWS.length);

  progress('calibrating', 0, 1);
  const { fit, calibrate } = calibrationSplit(trained);
  let temperature = 1;
  if (calibrate.length > 0 && new Set(fit.map((t) => t.image.label)).size >= 2) {
    // The probe only serves to fit the temperature; fewer steps keep retraining fast.
    const probe = await trainHead(samplesOf(fit), labels, { ...DEFAULT_HEAD_OPTIONS, steps: 80 });
    temperature = fitTemperature(calibrate.map((t) => ({ logits: viewLogits(probe, detectVectors(t)), y: index.get(t.image.label)! })));
  }
  progress('training head', 0, 1);
  const head = { ...(await trainHead(samplesOf(trained), labels, DEFAULT_HEAD_OPTIONS)), temperature };

  const evaluable = test.filter((t) => index.has(t.label));
  for (const t of test) if (!index.has(t.label)) skipped.push({ key: t.key, reason: `test label ${t.label} has no training images` });
  const tested = await embedAll(embedder, evaluable, DETECT_VIEWS, 'embedding test images', progress, skipped);
  const predictions = tested.map((t) => ({ y: index.get(t.image.label)!, probs: softmax(viewLogits(head, t.vectors), temperature) }));
  return { head, evaluation: evaluate(labels, predictions), trainImages: trained.length, testImages: tested.length, skipped };
}
