import { bestThreshold, calibrationError, calibrationErrorFloor, evaluate } from './metrics';

const p = (y: number, probs: number[]) => ({ y, probs });

describe('evaluation metrics', () => {
  it('computes per-label precision/recall/F1, macro averages and the confusion matrix', () => {
    // truth a,a,a,b,b ; predicted a,a,b,b,b
    const summary = evaluate(['a', 'b'], [p(0, [0.9, 0.1]), p(0, [0.8, 0.2]), p(0, [0.4, 0.6]), p(1, [0.2, 0.8]), p(1, [0.3, 0.7])]);
    expect(summary.confusion).toEqual({ labels: ['a', 'b'], matrix: [[2, 1], [0, 2]] });
    const [a, b] = summary.perLabel;
    expect(a).toMatchObject({ label: 'a', precision: 1, recall: 0.6667, support: 3 });
    expect(b).toMatchObject({ label: 'b', precision: 0.6667, recall: 1, support: 2 });
    expect(a!.f1).toBeCloseTo(0.8, 4);
    expect(summary.f1).toBeCloseTo(0.8, 4);
    expect(summary.accuracy).toBe(0.8);
    expect(summary.testImages).toBe(5);
    // a's scores 0.9,0.8 positive, 0.4 positive, 0.2,0.3 negative → cut at 0.4 separates perfectly.
    expect(a!.threshold).toBe(40);
    expect(a!.thresholdF1).toBe(1);
  });

  it('leaves labels without test images out of the macro average', () => {
    const summary = evaluate(['a', 'b', 'c'], [p(0, [0.9, 0.05, 0.05]), p(1, [0.1, 0.8, 0.1])]);
    expect(summary.perLabel[2]).toMatchObject({ label: 'c', support: 0 });
    expect(summary.f1).toBe(1);
  });

  it('finds the F1-maximising threshold, counting tied scores together', () => {
    expect(bestThreshold([{ score: 0.9, positive: true }, { score: 0.5, positive: false }, { score: 0.5, positive: true }])).toEqual({ threshold: 50, f1: expect.closeTo(0.8, 5) });
    expect(bestThreshold([{ score: 0.3, positive: false }])).toEqual({ threshold: 100, f1: 0 });
  });

  it('measures calibration error: 0 when confidence equals accuracy, large when over-confident', () => {
    const calibrated = [p(0, [0.75, 0.25]), p(0, [0.75, 0.25]), p(0, [0.75, 0.25]), p(1, [0.75, 0.25])];
    expect(calibrationError(calibrated)).toBeCloseTo(0, 6);
    const overConfident = [p(0, [0.99, 0.01]), p(1, [0.99, 0.01])];
    expect(calibrationError(overConfident)).toBeCloseTo(0.49, 6);
  });

  it('gives the calibration error that sampling alone produces for a perfectly calibrated model', () => {
    // Two predictions at 0.5: 0, 1 or 2 right with chances 1/4, 1/2, 1/4 → |0 − ½|, 0, |1 − ½|.
    expect(calibrationErrorFloor([p(0, [0.5, 0.5]), p(0, [0.5, 0.5])])).toBeCloseTo(0.25, 9);
    // Certain predictions leave nothing to chance.
    expect(calibrationErrorFloor([p(0, [1, 0]), p(1, [0, 1])])).toBe(0);
    // It shrinks as 1/√n: 100 predictions at 0.5 give ≈ √(2/π)·0.05 (0.0398 exactly).
    const hundred = Array.from({ length: 100 }, () => p(0, [0.5, 0.5]));
    expect(calibrationErrorFloor(hundred)).toBeCloseTo(0.0398, 4);
    // Bins are weighted by their share of the predictions, as in calibrationError.
    expect(calibrationErrorFloor([p(0, [0.5, 0.5]), p(0, [0.5, 0.5]), p(0, [1, 0]), p(0, [1, 0])])).toBeCloseTo(0.125, 9);
  });
});
