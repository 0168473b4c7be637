import { meanVector } from './features';
import { fitKernelLda, type KernelProblem } from './lda';
import { argmax } from './metrics';
import { fitSpread } from './spread';

/** A cross-validated image's answer, from a fold model that did not see it (train-pipeline.ts calibrates on these). */
export interface HeldOut {
  logits: number[];
  /** The screen's logits, and the familiarity distance at its top label. */
  screenLogits: number[];
  screenDistance: number;
  y: number;
  distance: number;
  fold: number;
  /** The held-out image (index into the fitted images). */
  owner: number;
}

/**
 * What every fold model of a training is fitted from. It is the same for all of them, so the
 * training's helper thread receives it once (training-helper.ts).
 */
export interface FoldProblem {
  problem: KernelProblem;
  /** The screen's problem: MobileNet's taps of the same rows. */
  screenProblem: KernelProblem;
  /** Every row's first `familiarityDims` values: all the familiarity distance reads (spread.ts). */
  familiarity: Float32Array[];
  familiarityDims: number;
  /** Cross-validated images (indexes into the fitted images). */
  cvImages: number[];
  /** Per fitted image: its first row and its number of rows (one per embedded view). */
  firstRow: number[];
  rowCount: number[];
  /** Rows an image is detected from (its first ones: detection's views). */
  detectViews: number;
  folds: number;
}

/** Model `model` trains on the `trainFolds` folds after fold `model` (cyclically) and predicts the others. */
export interface FoldTask {
  foldOf: number[];
  trainFolds: number;
  model: number;
  withScreen: boolean;
}

/** The held-out answers of one fold model. Deterministic: the same on any thread. */
export async function foldPredictions(p: FoldProblem, task: FoldTask): Promise<HeldOut[]> {
  const { problem, cvImages, firstRow, rowCount, folds } = p;
  const { foldOf, trainFolds, model: f } = task;
  const inFit = (i: number) => (foldOf[i]! - f - 1 + folds) % folds < trainFolds;
  const fitRows: number[] = [];
  cvImages.forEach((o, i) => {
    if (inFit(i)) for (let r = firstRow[o]!; r < firstRow[o]! + rowCount[o]!; r++) fitRows.push(r);
  });
  const lda = await fitKernelLda(problem, fitRows);
  const screenLda = task.withScreen ? await fitKernelLda(p.screenProblem, fitRows) : undefined;
  const spreadModel = fitSpread(p.familiarity, problem.classOf, fitRows, problem.classes, p.familiarityDims);
  // An image as detection sees it: the mean of its first detectViews rows.
  const detectRows = (first: number) => Array.from({ length: p.detectViews }, (_, i) => first + i);
  const meanLogits = (fit: { logits(q: number): number[] }, rowIds: number[]) => {
    const all = rowIds.map((r) => fit.logits(r));
    return all[0]!.map((_, k) => all.reduce((a, l) => a + l[k]!, 0) / all.length);
  };
  const out: HeldOut[] = [];
  cvImages.forEach((o, i) => {
    if (inFit(i)) return;
    const rows = detectRows(firstRow[o]!);
    const logits = meanLogits(lda, rows);
    const screenLogits = screenLda ? meanLogits(screenLda, rows) : [];
    const x = meanVector(rows.map((r) => p.familiarity[r]!));
    const screenDistance = screenLda ? spreadModel.distance(x, argmax(screenLogits)) : 0;
    out.push({ logits, screenLogits, y: problem.classOf[firstRow[o]!]!, distance: spreadModel.distance(x, argmax(logits)), screenDistance, fold: f, owner: o });
  });
  return out;
}
