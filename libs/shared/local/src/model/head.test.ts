import { fitTemperature, logits, predict, softmax, type Head } from './head';

describe('classifier head (pure parts)', () => {
  it('standardises, applies D×K weights and bias', () => {
    const head: Head = {
      labels: ['a', 'b'],
      dims: 2,
      mean: new Float32Array([1, 1]),
      invStd: new Float32Array([1, 0.5]),
      weights: new Float32Array([1, 0, 0, 2]), // row d: [w_da, w_db]
      bias: new Float32Array([0, 1]),
      temperature: 1,
    };
    expect(Array.from(logits(head, new Float32Array([3, 5])))).toEqual([2, 5]);
    const probs = predict(head, new Float32Array([3, 5]));
    expect(probs[0]! + probs[1]!).toBeCloseTo(1, 10);
    expect(probs[1]!).toBeGreaterThan(probs[0]!);
  });

  it('softmax with a higher temperature is flatter', () => {
    const sharp = softmax([2, 0]);
    const flat = softmax([2, 0], 4);
    expect(flat[0]!).toBeLessThan(sharp[0]!);
    expect(flat[0]!).toBeGreaterThan(0.5);
  });

  it('fits a temperature above 1 for over-confident logits and below 1 for timid ones', () => {
    // 70% right with huge margins → over-confident; 100% right with tiny margins → timid.
    const over = Array.from({ length: 10 }, (_, i) => ({ logits: Float64Array.from([10, 0]), y: i < 7 ? 0 : 1 }));
    const timid = Array.from({ length: 10 }, () => ({ logits: Float64Array.from([0.2, 0]), y: 0 }));
    expect(fitTemperature(over)).toBeGreaterThan(3);
    expect(fitTemperature(timid)).toBeLessThan(0.2);
    expect(fitTemperature([])).toBe(1);
  });
});
