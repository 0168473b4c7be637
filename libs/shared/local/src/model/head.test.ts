import { extrapolateTemperature, familiarityFactor, fitFamiliarity, fitTemperature, normalUpperTail, softmax } from './calibration';
import { crossValidationFolds, foldsFor } from './cross-validation';
import { normaliseFeatures } from './features';
import { predict, screenIsSure, type Head } from './head';
import { RecentSet } from './recent-set';
import { fitKernelLda } from './lda';
import { dot } from './linalg';
import { seededRandom } from '@relabel/ports/testing';

describe('closed-form head', () => {
  it('normalises each feature block to unit length after a signed square root', () => {
    const v = normaliseFeatures([4, 0, 9, -16], [2, 2]);
    expect(Array.from(v)).toEqual([1, 0, expect.closeTo(3 / 5, 6), expect.closeTo(-4 / 5, 6)]);
    expect(() => normaliseFeatures([1, 2, 3], [2])).toThrow(/cover 2 of 3/);
  });

  it('fits LDA in the kernel domain: its primal head gives the same logits, and it separates two clusters', async () => {
    const rng = seededRandom(3);
    const dims = 40;
    const rows: Float32Array[] = [];
    const classOf: number[] = [];
    for (let i = 0; i < 30; i++) {
      const c = i % 2;
      rows.push(Float32Array.from({ length: dims }, (_, d) => (d === c ? 1 : 0) + (rng() - 0.5) * 0.4));
      classOf.push(c);
    }
    // gramMatrix runs in onnxruntime, whose output tensors do not cross into jest's realm; the
    // training worker uses it (local-model-service tests), here the Gram is computed directly.
    const gram = Float64Array.from({ length: rows.length ** 2 }, (_, i) => dot(rows[Math.floor(i / rows.length)]!, rows[i % rows.length]!));
    const problem = { gram, size: rows.length, classOf: Int32Array.from(classOf), classes: 2, dims };
    const lda = await fitKernelLda(problem, rows.map((_, i) => i));
    const primal = lda.primal(rows);
    for (const q of [0, 1, 7]) {
      const kernel = lda.logits(q);
      const direct = [0, 1].map((k) => rows[q]!.reduce((a, x, d) => a + x * primal.weights[k * dims + d]!, 0) + primal.bias[k]!);
      expect(direct[0]).toBeCloseTo(kernel[0]!, 2);
      expect(direct[1]).toBeCloseTo(kernel[1]!, 2);
      expect(kernel.indexOf(Math.max(...kernel))).toBe(classOf[q]);
    }
  });

  it('fits a temperature above 1 for over-confident logits and below 1 for timid ones, on a wide grid', () => {
    const over = Array.from({ length: 10 }, (_, i) => ({ logits: [300, 0], y: i < 7 ? 0 : 1 }));
    const timid = Array.from({ length: 10 }, () => ({ logits: [0.2, 0], y: 0 }));
    expect(fitTemperature(over)).toBeGreaterThan(100);
    expect(fitTemperature(timid)).toBeLessThan(0.2);
    expect(fitTemperature([])).toBe(1);
  });

  it('finds the temperature the whole grid would, from a coarse pass and the best point\'s neighbourhood', () => {
    // The search fitTemperature shortens: every grid point, then the same refinement.
    const wholeGrid = (heldOut: { logits: number[]; y: number }[]) => {
      const nll = (t: number) => heldOut.reduce((a, s) => a - Math.log(Math.max(softmax(s.logits, t)[s.y]!, 1e-12)), 0);
      let best = 1;
      let bestLoss = nll(1);
      for (let t = 0.01; t <= 5000; t *= 1.1) if (nll(t) < bestLoss) [best, bestLoss] = [t, nll(t)];
      for (let step = 1.05; step > 1.001; step = Math.sqrt(step)) for (const t of [best / step, best * step]) if (nll(t) < bestLoss) [best, bestLoss] = [t, nll(t)];
      return best;
    };
    const rng = seededRandom(17);
    for (const [scale, wrong] of [[0.05, 0.1], [1, 0.2], [40, 0.1], [300, 0.3], [2000, 0.05]] as const) {
      const heldOut = Array.from({ length: 60 }, () => {
        const y = Math.floor(rng() * 5);
        const logits = Array.from({ length: 5 }, (_, k) => scale * (rng() + (k === (rng() < wrong ? (y + 1) % 5 : y) ? 1 : 0)));
        return { logits, y };
      });
      expect(fitTemperature(heldOut)).toBe(wholeGrid(heldOut));
    }
  });

  it('extrapolates the temperature towards the full training set, never the wrong way', () => {
    const t = extrapolateTemperature({ fraction: 0.8, temperature: 100 }, { fraction: 2 / 3, temperature: 200 });
    expect(t).toBeLessThan(100);
    expect(t).toBeGreaterThan(40);
    expect(extrapolateTemperature({ fraction: 0.8, temperature: 100 }, { fraction: 2 / 3, temperature: 50 })).toBeCloseTo(100, 6);
  });

  it('scales confidence down for a vector far outside its class, not for a typical member', () => {
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 6);
    expect(normalUpperTail(1.6449)).toBeCloseTo(0.05, 3);
    const f = fitFamiliarity([1, 1.1, 0.9, 1.05, 0.95, 1.2, 0.8]);
    expect(familiarityFactor(f, 1)).toBe(1);
    expect(familiarityFactor(f, 3)).toBeLessThan(0.05);
    // Tail 0: the factor is off (models of three labels or more, see train-pipeline.ts).
    expect(familiarityFactor(fitFamiliarity([1, 1.1, 0.9, 1.05], 0), 3)).toBe(1);
  });

  it('predicts calibrated confidences whose sum is at most 1', () => {
    const head: Head = {
      labels: ['a', 'b'],
      dims: 2,
      blocks: [2],
      weights: Float32Array.from([10, 0, 0, 10]),
      bias: Float32Array.from([0, 0]),
      means: Float32Array.from([1, 0, 0, 1]),
      precision: Float32Array.from([1, 1]),
      temperature: 2,
      familiarity: fitFamiliarity([0.1, 0.12, 0.08, 0.11]),
      views: ['whole'],
    };
    const near = predict(head, [Float32Array.from([1, 0.05])]);
    expect(near[0]!).toBeGreaterThan(0.9);
    const far = predict(head, [Float32Array.from([1, 1])]); // between both classes, far from either mean
    expect(far[0]! + far[1]!).toBeLessThan(0.5);
    expect(Array.from(softmax([2, 0], 4))[0]).toBeLessThan(Array.from(softmax([2, 0]))[0]!);
  });

  it('answers from the screen when it is sure, else from the full head', () => {
    // Vectors of 3 dims: the screen reads the first two, the full head all three.
    const head: Head = {
      labels: ['a', 'b'],
      dims: 3,
      blocks: [2, 1],
      weights: Float32Array.from([0, 0, 10, 0, 0, -10]),
      bias: Float32Array.from([0, 0]),
      means: new Float32Array(6),
      precision: new Float32Array(3),
      temperature: 1,
      familiarity: fitFamiliarity([1], 0),
      views: ['whole'],
      screen: {
        dims: 2,
        blocks: [2],
        weights: Float32Array.from([10, 0, 0, 10]),
        bias: Float32Array.from([0, 0]),
        means: new Float32Array(4),
        precision: new Float32Array(2),
        temperature: 1,
        familiarity: fitFamiliarity([1], 0),
        sure: 0.95,
      },
    };
    const sure = Float32Array.from([1, 0, 1]); // screen: a by 10 logits; full head: a too
    expect(screenIsSure(head.screen!, [sure])).toBe(true);
    expect(predict(head, [sure])[0]).toBeCloseTo(1 / (1 + Math.exp(-10)), 6);
    // Only the screen's prefix computed (detection skipped the second network): the screen answers.
    expect(predict(head, [sure.subarray(0, 2)])[0]).toBeCloseTo(1 / (1 + Math.exp(-10)), 6);
    const torn = Float32Array.from([1, 1, 1]); // screen: 50/50; the full head decides (a, by 20)
    expect(screenIsSure(head.screen!, [torn])).toBe(false);
    expect(predict(head, [torn])[0]).toBeCloseTo(1 / (1 + Math.exp(-20)), 6);
  });

  it('keeps the most recently touched keys', () => {
    const recent = new RecentSet<number>(2);
    expect(recent.touch(1)).toBe(false);
    expect(recent.touch(2)).toBe(false);
    expect(recent.touch(1)).toBe(true); // 1 is now the most recent: 2 goes first
    expect(recent.touch(3)).toBe(false);
    expect([recent.has(1), recent.has(2), recent.has(3)]).toEqual([true, false, true]);
  });

  it('deals stratified, deterministic folds', () => {
    const items = Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, label: i < 10 ? 'a' : 'b' }));
    const folds = crossValidationFolds(items, 5);
    expect(crossValidationFolds(items, 5)).toEqual(folds);
    for (let f = 0; f < 5; f++) {
      expect(items.filter((it, i) => it.label === 'a' && folds[i] === f)).toHaveLength(2);
      expect(items.filter((it, i) => it.label === 'b' && folds[i] === f)).toHaveLength(2);
    }
  });

  it('deals other, equally stratified folds of the same images for repeated runs (deal 0 is the evaluation\'s)', () => {
    const items = Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, label: i < 20 ? 'a' : 'b' }));
    const first = crossValidationFolds(items, 5);
    expect(crossValidationFolds(items, 5, 0)).toEqual(first);
    const second = crossValidationFolds(items, 5, 1);
    expect(crossValidationFolds(items, 5, 1)).toEqual(second);
    expect(second).not.toEqual(first);
    // Independent, not a relabelling of the same partition: some pairs share a fold in one deal only.
    const together = (folds: number[], i: number, j: number) => folds[i] === folds[j];
    let differ = 0;
    for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++) if (together(first, i, j) !== together(second, i, j)) differ++;
    expect(differ).toBeGreaterThan(20);
    for (let f = 0; f < 5; f++) expect(items.filter((it, i) => it.label === 'a' && second[i] === f)).toHaveLength(4);
  });

  it('runs the second calibration run on fewer of the same folds, so the temperature has two training fractions to extrapolate from', () => {
    for (let images = 2; images <= 40; images++) {
      const { main, second } = foldsFor(images);
      expect(second.models).toBeLessThanOrEqual(main);
      // Two folds leave one fraction (1/2) only: extrapolateTemperature then keeps the fitted one.
      if (main >= 3) expect(second.trainsOn).toBeLessThan(main - 1);
      else expect(second.trainsOn).toBe(main - 1);
    }
    expect(foldsFor(100)).toEqual({ main: 5, second: { trainsOn: 3, models: 3 } });
  });
});
