/**
 * Continuous-improvement bench: `npm run bench:loop [-- --quick] [-- --min=N]`.
 * Starts from 5 labelled images per label, streams unseen images through detection with the live
 * model, lets an oracle answer exactly the images the system sends to review (top confidence below
 * Minimum-Label-Detection-Confidence, 70) and retrains whenever Minimum-Untrained-Images (default
 * 20 here) answers have arrived. After each version it prints the human answers used so far, macro-F1
 * on a fixed held-out set, and the share of streamed images returned without review and their
 * precision. The same is run again with audits (Enable-Human-Sampling: one in `--audit-rate=N`,
 * default 3, of the confident detections reviewed too, sampled as the detector samples them), then
 * with random capture (reviews picked at random), and the answers each needs to reach a given F1
 * are compared. It drives the local model's own training pipeline and detection head on the same
 * images (embeddings cached), without HTTP or queues.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAuditSample } from '@relabel/contracts';
import { createFsObjectStore } from '@relabel/local-adapters';
import { seededRandom } from '@relabel/ports/testing';
import { loadBackbone } from '../../libs/shared/local/src/model/backbone';
import { createEmbedder, keypointsDir } from '../../libs/shared/local/src/model/embedder';
import { detectionConfidences } from '../../libs/shared/local/src/model/inference';
import { DETECT_VIEWS, runTraining, type LabelledImage } from '../../libs/shared/local/src/model/train-pipeline';
import { benchDataset, type BenchImage } from './model-bench-data';

const quick = process.argv.includes('--quick');
const minUntrained = Number(process.argv.find((a) => a.startsWith('--min='))?.slice(6) ?? 20);
/** Human-Sampling-Rate of the run with audits (one in N confident detections reviewed too). */
const auditRate = Number(process.argv.find((a) => a.startsWith('--audit-rate='))?.slice(13) ?? 3);
const LABELS = quick ? 8 : 20;
const POOL = quick ? 25 : 51;
const THRESHOLD = 70;
const LEVELS = [0.6, 0.7, 0.75, 0.8, 0.85, 0.9];

interface Step {
  answers: number;
  f1: number;
}

async function main() {
  const root = mkdtempSync(join(tmpdir(), 'relabel-loop-bench-'));
  // The embedding cache outlives runs (keyed by image content), so a second run is fast.
  const cacheDir = join(tmpdir(), 'relabel-loop-bench-cache');
  mkdirSync(cacheDir, { recursive: true });
  const store = createFsObjectStore({ root: join(root, 'bucket'), bucket: 'loop' });
  const { train: pool, test } = await benchDataset(store, { labels: LABELS, trainPerLabel: POOL, testPerLabel: 15, seed: 11 });
  const backbone = await loadBackbone(cacheDir);
  const embedder = createEmbedder(backbone, cacheDir);
  const toImage = (i: BenchImage): LabelledImage => ({ key: i.key, label: i.label, bytes: i.body });
  const testImages = test.map(toImage);
  const seed = pool.filter((i) => i.index < 5);
  const rng = seededRandom(5);
  const stream = pool.filter((i) => i.index >= 5).sort(() => rng() - 0.5);
  console.log(`relabel loop bench: ${LABELS} labels, start 5/label, stream ${stream.length} images, held-out ${test.length}, retrain every ${minUntrained} answers, review below ${THRESHOLD}`);

  // As the training worker runs it: the mark check's work on a second thread.
  const train = async (labelled: BenchImage[]) => runTraining(embedder, labelled.map(toImage), testImages, undefined, { keypointsDir: keypointsDir(cacheDir) });

  // The system: review exactly what the model is unsure of, and with audits (Enable-Human-Sampling)
  // also one in `rate` of the confident detections, chosen as the detector chooses them.
  const runSystem = async (rate?: number): Promise<{ steps: Step[]; answers: number }> => {
    const steps: Step[] = [];
    const labelled = [...seed];
    let result = await train(labelled);
    steps.push({ answers: 0, f1: result.evaluation.f1 });
    console.log(rate ? `\ncapture = the system with audits (below threshold → review, and 1 in ${rate} of the others):` : '\ncapture = the system (below threshold → review):');
    console.log('version  answers  held-out F1  auto-returned  auto precision');
    let pending = 0;
    let window = { auto: 0, right: 0, seen: 0 };
    const flush = (version: number) => {
      const share = window.seen ? (100 * window.auto) / window.seen : 0;
      const precision = window.auto ? (100 * window.right) / window.auto : 0;
      console.log(`v${String(version).padEnd(7)} ${String(labelled.length - seed.length).padEnd(8)} ${result.evaluation.f1.toFixed(3).padEnd(12)} ${share.toFixed(1).padStart(5)} %        ${precision.toFixed(1)} %`);
    };
    let version = 1;
    for (const image of stream) {
      const probs = await detectionConfidences(result.head, await embedder.embed(image.body, DETECT_VIEWS), () => embedder.keypoints(image.body));
      let top = 0;
      for (let k = 1; k < probs.length; k++) if (probs[k]! > probs[top]!) top = k;
      window.seen++;
      // The object store's eTag of a single-part upload: the MD5 of its bytes.
      const audited = rate !== undefined && isAuditSample(image.key, createHash('md5').update(image.body).digest('hex'), rate);
      if (probs[top]! * 100 < THRESHOLD || audited) {
        labelled.push(image);
        pending++;
      } else {
        window.auto++;
        if (result.head.labels[top] === image.label) window.right++;
      }
      if (pending >= minUntrained) {
        flush(version);
        result = await train(labelled);
        version++;
        steps.push({ answers: labelled.length - seed.length, f1: result.evaluation.f1 });
        pending = 0;
        window = { auto: 0, right: 0, seen: 0 };
      }
    }
    flush(version);
    return { steps, answers: labelled.length - seed.length };
  };
  const { steps: active, answers: activeAnswers } = await runSystem();
  const { steps: audited, answers: auditedAnswers } = await runSystem(auditRate);

  // Random: the same cadence, reviews picked at random, until the whole stream is labelled.
  console.log('\ncapture = random (same cadence, until every streamed image is answered):');
  console.log('version  answers  held-out F1');
  const random: Step[] = [];
  const shuffled = [...stream].sort(() => rng() - 0.5);
  for (let answers = 0, v = 1; answers <= shuffled.length; answers += minUntrained, v++) {
    const { evaluation } = await train([...seed, ...shuffled.slice(0, answers)]);
    random.push({ answers, f1: evaluation.f1 });
    console.log(`v${String(v).padEnd(7)} ${String(answers).padEnd(8)} ${evaluation.f1.toFixed(3)}`);
  }

  const first = (steps: Step[], level: number) => steps.find((s) => s.f1 >= level)?.answers;
  const ratio = (a: number | undefined, r: number | undefined) => (a !== undefined && r ? `${((100 * a) / r).toFixed(0)} %` : '—');
  console.log(`\nhuman answers needed to reach a held-out macro-F1 (system used ${activeAnswers} answers in all, with audits ${auditedAnswers}):`);
  console.log('F1      system   audits   random   system/random  audits/random');
  for (const level of LEVELS) {
    const [a, s, r] = [first(active, level), first(audited, level), first(random, level)];
    console.log(`${level.toFixed(2)}    ${String(a ?? '—').padEnd(8)} ${String(s ?? '—').padEnd(8)} ${String(r ?? '—').padEnd(8)} ${ratio(a, r).padEnd(14)} ${ratio(s, r)}`);
  }
  const best = (steps: Step[]) => Math.max(...steps.map((s) => s.f1)).toFixed(3);
  console.log(`best held-out F1: system ${best(active)}, with audits ${best(audited)}, random ${best(random)}`);
  await backbone.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
