import { classificationScores, scoresFromConfusion } from './metrics';

describe('classificationScores', () => {
  it('computes per-label precision, recall, F1 and macro averages', () => {
    const s = classificationScores([
      { actual: 'cat', predicted: 'cat' },
      { actual: 'cat', predicted: 'dog' },
      { actual: 'dog', predicted: 'dog' },
      { actual: 'dog', predicted: null },
    ]);
    const cat = s.perLabel.find((l) => l.label === 'cat')!;
    const dog = s.perLabel.find((l) => l.label === 'dog')!;
    expect(cat).toEqual({ label: 'cat', precision: 1, recall: 0.5, f1: 2 / 3, support: 2 });
    expect(dog.precision).toBe(0.5);
    expect(dog.recall).toBe(0.5);
    expect(s.f1).toBeCloseTo((2 / 3 + 0.5) / 2);
    expect(s.confusion).toEqual({ labels: ['cat', 'dog'], matrix: [[1, 1], [0, 1]] });
    expect(s.unmatched).toBe(1);
    expect(s.testImages).toBe(4);
  });

  it('scores a perfect classifier 1 and a label never predicted 0', () => {
    expect(classificationScores([{ actual: 'a', predicted: 'a' }, { actual: 'b', predicted: 'b' }]).f1).toBe(1);
    const s = classificationScores([{ actual: 'a', predicted: 'x' }], ['a', 'b']);
    expect(s.perLabel.map((l) => l.f1)).toEqual([0, 0]);
    expect(s.f1).toBe(0);
  });

  it('averages over the labels that have test images only, so an absent label does not move the figure', () => {
    const withAbsent = scoresFromConfusion(['a', 'b', 'absent'], [[2, 0, 0], [1, 1, 0], [0, 0, 0]]);
    const without = scoresFromConfusion(['a', 'b'], [[2, 0], [1, 1]]);
    expect(withAbsent.perLabel[2]).toEqual({ label: 'absent', precision: 0, recall: 0, f1: 0, support: 0 });
    expect(withAbsent.f1).toBeCloseTo(without.f1);
    expect(withAbsent.precision).toBeCloseTo(without.precision);
    expect(withAbsent.recall).toBeCloseTo(without.recall);
    expect(without.f1).toBeCloseTo((0.8 + 2 / 3) / 2);
  });
});
