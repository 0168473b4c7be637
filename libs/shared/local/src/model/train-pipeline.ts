import { extrapolateTemperature, FAMILIARITY_TAIL, familiarityFactor, fitFamiliarity, fitTemperature, softmax } from './calibration';
import { crossValidationFolds, foldsFor, spread, stratifiedOrder, stratifiedSubset } from './cross-validation';
import type { Embedder } from './embedder';
import { normaliseFeatures } from './features';
import { predict, screenIsSure, type Head, type Screen } from './head';
import { TrainingHelper } from './training-helper';
import { checkMark, fitMarkOddsOn } from './mark-training';
import type { FoldProblem, FoldTask, HeldOut } from './fold-predictions';
import { fitKernelLda, type KernelProblem } from './lda';
import { FEATURE_TAPS, MOBILENET_DIMS } from './backbone';
import { fitSpread } from './spread';
import { gramMatrix } from './linalg';
import { argmax, evaluate, type EvaluationSummary } from './metrics';
import type { View } from './preprocess';

/**
 * Views embedded per training image, best first. On the bench (20 labels, 1,200 test images, the head
 * alone), macro-F1 at 5 / 10 / 30 images per label: 0.554 / 0.728 / 0.883 on the frame alone; 0.618 /
 * 0.766 / 0.892 with the previous views (frame, mirror and the three photometric ones); 0.704 / 0.830
 * with these six. `zoomOut` is worth most (frame + zoomOut alone: 0.640 / 0.780 / 0.916, and what 30
 * per label gets, see viewBudget): the marks of a training set come at few sizes, consumers' at any.
 * The photometric views keep plate colour and polarity from becoming shortcuts
 * (model-quality.test.ts). Turns of 25° instead of 12°, zooms to 55 % or 85 %, or a zoomed-out frame
 * in a corner instead of the centre were worse.
 */
export const TRAIN_VIEWS: readonly View[] = ['whole', 'zoomOut', 'invert', 'zoomIn', 'turnRight', 'perm'];
/**
 * Embeddings a training may spend on its images. 1,500 is what the previous augmentation spent at
 * its largest (300 images × 5 views). From 500 images on the budget shrinks by one embedding per
 * image more, so that from FRAME_ALONE_FROM on each image is embedded once and a 1,000-image training
 * stays inside its time budget. It shrinks gradually, because a step cost F1 as a set grew: in
 * `bench:loop`, a budget that fell from two views to one at 751 images took held-out F1 from 0.928 to
 * 0.892 with 20 more answers.
 */
export const VIEW_BUDGET = 1500;
export const FRAME_ALONE_FROM = 1000;
export const viewBudget = (images: number): number => Math.max(images, Math.min(VIEW_BUDGET, 2 * FRAME_ALONE_FROM - images));

/**
 * Views of each training image: the budget spread evenly, i.e. the first ⌊budget / images⌋ of
 * TRAIN_VIEWS for all (at least the frame, at most all six), and one more for a share of each label's
 * images. That share is the same images on every retraining (ordered by a hash of their keys), so
 * their cached embeddings are reused, and a growing set loses views one image at a time.
 */
export function trainViews(images: readonly { key: string; label: string }[]): View[][] {
  const perImage = Math.min(TRAIN_VIEWS.length, viewBudget(images.length) / Math.max(images.length, 1));
  const whole = Math.floor(perImage);
  const out = images.map(() => TRAIN_VIEWS.slice(0, Math.max(1, whole)));
  if (whole >= TRAIN_VIEWS.length) return out;
  for (const group of stratifiedOrder(images, 'views')) {
    const extra = Math.round(group.length * (perImage - whole));
    for (const i of group.slice(0, extra)) out[i] = TRAIN_VIEWS.slice(0, whole + 1);
  }
  return out;
}
/**
 * Detection and evaluation look at the frame once: with two networks per view a mirrored second
 * pass would double the detect cost (≈ 100 ms at 1080p) for +0.00–0.01 F1 on the bench, and a
 * zoomed-out one separates unknown marks no better (model README). TRAIN_VIEWS begins with these
 * views, so every training image has them (the head records them, see head.ts).
 */
export const DETECT_VIEWS: readonly View[] = ['whole'];
/**
 * Below this many test images for some label, the test split cannot carry the gate: one image more
 * or less right moves that label's F1 by 0.1 or more. The evaluation then cross-validates over every
 * labelled image instead (and the final head trains on all of them).
 */
export const SMALL_TEST_SPLIT = 10;
/** The familiarity distance reads MobileNet's taps only (see spread.ts). */
const FAMILIARITY_DIMS = MOBILENET_DIMS;
/**
 * The screen (head.ts) reads MobileNet's taps, and answers alone when its top confidence reaches
 * SCREEN_SURE. Bench, 15 labels × 30 images: with 0.95 it answered for half of the known test images
 * (InceptionV3 skipped) at the same accuracy (0.911) and the same share of unknown images below 70
 * (59 %) as the full head; 0.8 answered for 68 % but let more unknown images through (51 % below 70).
 */
export const SCREEN_SURE = 0.95;
const SCREEN_DIMS = MOBILENET_DIMS;
/**
 * The familiarity factor is applied to 2-label models only. Between two labels the softmax cannot say
 * "neither" (an unknown mark must look more like one of them), so the distance is all there is. From
 * three labels on, the labels compete for an unknown image and the tempered softmax alone separated
 * unknown from known better on the bench (AUROC 0.866 against 0.845 with the factor) and stayed
 * calibrated (ECE 0.055 / 0.040 / 0.031 at 5 / 10 / 30 images per label, against 0.073 / 0.064 / 0.075:
 * the factor's log-normal tail cut known test images too).
 */
const FAMILIARITY_UP_TO_LABELS = 2;
/** Cross-validation refits on at most this many vectors (a stratified subset of images beyond). */
const MAX_CV_ROWS = 1600;
/**
 * Up to this many cross-validation rows, the temperatures are fitted on CV_DEALS independent fold
 * assignments pooled. With 5 images per label the fitted temperature depended on the assignment
 * (77–99 over 6 assignments of the bench's images, where 97 fits the test set best), and so did the
 * calibration error on 1,200 test images (0.022–0.066; pooled: 0.019–0.032). Such sets are small
 * enough to refit thrice; at 10 per label one assignment was steady already (model README).
 */
const REPEAT_CV_UP_TO_ROWS = 600;
const CV_DEALS = 3;

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

interface Embedded {
  image: LabelledImage;
  vectors: Float32Array[];
}

/** Raw vectors of each image (`embed` of its bytes); unreadable images go to `skipped`. */
async function embedAll(images: LabelledImage[], embed: (bytes: Buffer, image: LabelledImage) => Promise<Float32Array[]>, stage: string, progress: Progress, skipped: TrainingResult['skipped']): Promise<Embedded[]> {
  const out: Embedded[] = [];
  const start = (image: LabelledImage) => {
    const pending = embed(Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength), image);
    pending.catch(() => undefined); // handled when awaited below
    return pending;
  };
  // One image ahead: its decoding (sharp's threads) overlaps the backbone run of the current one.
  let next = images.length > 0 ? start(images[0]!) : undefined;
  for (const [i, image] of images.entries()) {
    const current = next!;
    next = i + 1 < images.length ? start(images[i + 1]!) : undefined;
    try {
      out.push({ image, vectors: await current });
    } catch (err) {
      skipped.push({ key: image.key, reason: err instanceof Error ? err.message : String(err) });
    }
    if (i % 10 === 9 || i === images.length - 1) progress(stage, i + 1, images.length);
  }
  return out;
}

/**
 * Trains a head on `train` and evaluates it on `test` (or by cross-validation when the test split is
 * small). With `secondThread`, part of the work runs on a helper thread (training-helper.ts), which
 * shares the keypoints cached in `keypointsDir`.
 */
export async function runTraining(embedder: Embedder, train: LabelledImage[], test: LabelledImage[], progress: Progress = () => undefined, secondThread?: { keypointsDir?: string }): Promise<TrainingResult> {
  const helper = new TrainingHelper<LabelledImage>((bytes) => embedder.keypoints(bytes), secondThread ? { threads: 2, keypointsDir: secondThread.keypointsDir } : { threads: 1 });
  try {
    return await trainAndEvaluate(embedder, helper, train, test, progress);
  } finally {
    await helper.close();
  }
}

async function trainAndEvaluate(embedder: Embedder, helper: TrainingHelper<LabelledImage>, train: LabelledImage[], test: LabelledImage[], progress: Progress): Promise<TrainingResult> {
  const labels = [...new Set(train.map((i) => i.label))].sort();
  if (labels.length < 2) throw new TrainingFailure(`training needs at least two labels, the train manifest has ${labels.length}`);
  const index = new Map(labels.map((l, i) => [l, i]));
  const skipped: TrainingResult['skipped'] = [];
  for (const t of test) if (!index.has(t.label)) skipped.push({ key: t.key, reason: `test label ${t.label} has no training images` });
  const evaluable = test.filter((t) => index.has(t.label));
  const testCount = (label: string) => evaluable.filter((t) => t.label === label).length;
  const crossValidated = labels.some((l) => testCount(l) < SMALL_TEST_SPLIT);

  const pool = crossValidated ? [...train, ...evaluable] : train;
  const viewsOf = new Map(trainViews(pool).map((views, i) => [pool[i]!, views]));
  // The mark banks need only the images: the helper builds them while this thread embeds and
  // cross-validates (an image it cannot decode is left out of its bank, as embedding skips it).
  const marksPending = helper.trainBanks(pool, labels, (done, total) => progress('finding marks', done, total));
  marksPending.catch(() => undefined); // awaited below, after the head
  const fitted = (await embedAll(pool, (bytes, image) => embedder.embed(bytes, viewsOf.get(image)!), 'embedding training images', progress, skipped)).map(({ image, vectors }) => ({
    image,
    vectors: vectors.map((v) => normaliseFeatures(v, embedder.blocks)),
  }));
  if (fitted.length < pool.length * 0.8) throw new TrainingFailure(`${pool.length - fitted.length} of ${pool.length} training images are unreadable`);
  if (new Set(fitted.map((t) => t.image.label)).size < 2) throw new TrainingFailure('fewer than two labels have readable training images');

  progress('fitting', 0, 1);
  // Rows: every view of every fitted image.
  const rows: Float32Array[] = [];
  const classOf: number[] = [];
  const ownerOf: number[] = [];
  const frameRow: number[] = [];
  fitted.forEach((item, owner) => {
    frameRow.push(rows.length);
    for (const v of item.vectors) {
      rows.push(v);
      classOf.push(index.get(item.image.label)!);
      ownerOf.push(owner);
    }
  });
  const problem: KernelProblem = { gram: await gramMatrix(rows), size: rows.length, classOf: Int32Array.from(classOf), classes: labels.length, dims: rows[0]!.length };
  // The screen's problem: MobileNet's taps, a prefix of every (per-tap normalised) row.
  const screenRows = rows.map((r) => r.subarray(0, SCREEN_DIMS));
  const screenProblem: KernelProblem = { ...problem, gram: await gramMatrix(screenRows), dims: SCREEN_DIMS };

  // Out-of-sample predictions at two training fractions, for calibration (and the CV evaluation).
  const cvImages = crossValidationSubset(fitted, rows.length / fitted.length);
  const { main: folds, second } = foldsFor(cvImages.length);
  // Both runs deal the same folds; small sets are dealt CV_DEALS times (the first deal is the evaluation's).
  const cvItems = cvImages.map((o) => ({ key: fitted[o]!.image.key, label: fitted[o]!.image.label }));
  const deals = Array.from({ length: cvImages.reduce((n, o) => n + fitted[o]!.vectors.length, 0) <= REPEAT_CV_UP_TO_ROWS ? CV_DEALS : 1 }, (_, d) => crossValidationFolds(cvItems, folds, d));
  // Every fold model of both runs, shared between the two threads (training-helper.ts): the main
  // run (4 of 5 folds, with the screen) of each deal, then the second run (see below) of each.
  const foldProblem: FoldProblem = {
    problem,
    screenProblem,
    familiarity: rows.map((r) => r.subarray(0, FAMILIARITY_DIMS)),
    familiarityDims: FAMILIARITY_DIMS,
    cvImages,
    firstRow: frameRow,
    rowCount: fitted.map((f) => f.vectors.length),
    detectViews: DETECT_VIEWS.length,
    folds,
  };
  const tasks: FoldTask[] = [
    ...deals.flatMap((foldOf) => Array.from({ length: folds }, (_, model) => ({ foldOf, trainFolds: folds - 1, model, withScreen: true }))),
    ...deals.flatMap((foldOf) => Array.from({ length: second.models }, (_, model) => ({ foldOf, trainFolds: second.trainsOn, model, withScreen: false }))),
  ];
  const answers = await helper.foldPredictions(foldProblem, tasks, (done) => progress('cross-validating', done, tasks.length));
  const cvDeals = deals.map((_, d) => answers.slice(d * folds, (d + 1) * folds).flat());
  const cv = cvDeals[0]!;
  const cvPooled = cvDeals.flat();
  // The second run only measures how fast confidence grows with data; the screen takes the full
  // head's growth (one LDA fit per fold instead of two keeps a retrain within budget). It reuses the
  // main run's folds, so both temperatures see the same split and its noise stays out of their
  // ratio: over 7 fold assignments of the bench's saved images, calibration error at 5 / 10 / 30
  // images per label 0.024–0.067 / 0.032–0.056 / 0.026–0.035 (mean 0.041 / 0.042 / 0.032), against
  // 0.026–0.087 / 0.028–0.081 / 0.025–0.038 (mean 0.056 / 0.046 / 0.032) with an independent 3-fold
  // run, for fewer multiply-adds (3 fits on 60 % instead of 67 %). All 5 models of 60 %: 0.022–0.060 /
  // 0.029–0.056 / 0.027–0.036, for ≈ 1 s more in a 1,000-image retrain.
  const cvSecond = answers.slice(deals.length * folds).flat();
  const share = cvImages.length / fitted.length;
  const mainTemperature = fitTemperature(cvPooled);
  const temperature = extrapolateTemperature(
    { fraction: share * ((folds - 1) / folds), temperature: mainTemperature },
    { fraction: share * (second.trainsOn / folds), temperature: fitTemperature(cvSecond) },
  );
  const screenTemperature = fitTemperature(cvPooled.map((h) => ({ logits: h.screenLogits, y: h.y }))) * (temperature / mainTemperature);
  const familiarity = fitFamiliarity(
    cv.filter((h) => argmax(h.logits) === h.y).map((h) => h.distance),
    labels.length <= FAMILIARITY_UP_TO_LABELS ? FAMILIARITY_TAIL : 0,
  );
  const tempered = (logits: ArrayLike<number>, distance: number, t: number) => {
    const probs = softmax(logits, t);
    const factor = familiarityFactor(familiarity, distance);
    return probs.map((p) => p * factor);
  };
  // What detection returns (head.ts, predict): the screen's answer when it is sure, else the full head's.
  const confidences = (h: Pick<HeldOut, 'logits' | 'distance' | 'screenLogits' | 'screenDistance'>) => {
    const screened = tempered(h.screenLogits, h.screenDistance, screenTemperature);
    return Math.max(...screened) >= SCREEN_SURE ? screened : tempered(h.logits, h.distance, temperature);
  };

  progress('training head', 0, 1);
  const allRows = rows.map((_, r) => r);
  const all = await fitKernelLda(problem, allRows);
  const allScreen = await fitKernelLda(screenProblem, allRows);
  const finalSpread = fitSpread(rows, classOf, allRows, labels.length, FAMILIARITY_DIMS);
  const screen: Screen = {
    dims: SCREEN_DIMS,
    blocks: embedder.blocks.slice(0, FEATURE_TAPS.length),
    ...allScreen.primal(screenRows),
    precision: finalSpread.precision.slice(0, SCREEN_DIMS),
    temperature: screenTemperature,
    familiarity,
    sure: SCREEN_SURE,
  };
  const marks = await marksPending;
  // How much a found mark is worth, from answers of models that did not see the image (all deals).
  const markOdds = await fitMarkOddsOn(
    cvPooled.map((h) => ({ probs: Float64Array.from(confidences(h)), image: fitted[h.owner]!.image })),
    marks,
    labels,
    helper.agree,
  );
  const head: Head = { labels, dims: problem.dims, blocks: [...embedder.blocks], ...all.primal(rows), precision: finalSpread.precision, temperature, familiarity, views: [...DETECT_VIEWS], screen, marks: marks.banks, markOdds };
  // Evaluated as detection answers: the top label's mark looked for when the answer is sure (mark-check.ts).
  const checked = (probs: Float64Array, image: LabelledImage) => checkMark(probs, image, marks, labels, helper.agree, markOdds);

  let evaluation: EvaluationSummary;
  let tested = 0;
  if (crossValidated) {
    // All asked at once: the helper deals them to both threads (one check at a time on each).
    const predictions = await Promise.all(cv.map(async (h) => ({ y: h.y, probs: await checked(Float64Array.from(confidences(h)), fitted[h.owner]!.image) })));
    const perFold = Array.from({ length: folds }, (_, f) => evaluate(labels, predictions.filter((_, i) => cv[i]!.fold === f)).f1);
    evaluation = { ...evaluate(labels, predictions), method: 'cross-validation', folds, f1Spread: spread(perFold) };
  } else {
    // The test images go through detection's own path: the screen first, InceptionV3 when it is unsure.
    const embedded = await embedAll(evaluable, (bytes) => embedder.embedStaged(bytes, head.views, (first) => !screenIsSure(screen, first)), 'embedding test images', progress, skipped);
    const predictions = await Promise.all(embedded.map(async (item) => ({ y: index.get(item.image.label)!, probs: await checked(predict(head, item.vectors), item.image) })));
    tested = embedded.length;
    evaluation = { ...evaluate(labels, predictions), method: 'test-split' };
  }
  const fromTest = new Set(evaluable);
  const trainImages = crossValidated ? fitted.filter((f) => !fromTest.has(f.image)).length : fitted.length;
  return { head, evaluation, trainImages, testImages: crossValidated ? fitted.length - trainImages : tested, skipped };
}

/** Images (indexes into `fitted`) that cross-validation refits on: all, or a stratified subset. */
function crossValidationSubset(fitted: Embedded[], viewsPerImage: number): number[] {
  const cap = Math.floor(MAX_CV_ROWS / viewsPerImage);
  if (fitted.length <= cap) return fitted.map((_, i) => i);
  return stratifiedSubset(fitted.map((f) => f.image), cap / fitted.length);
}
