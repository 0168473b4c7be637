import { toConfidence } from './inference';

describe('toConfidence', () => {
  it('reports three decimals of a percentage', () => {
    expect(toConfidence(0.123456)).toBe(12.346);
    expect(toConfidence(0)).toBe(0);
  });

  it('never reports a full 100, so a threshold of 100 sends everything to review', () => {
    expect(toConfidence(0.9999996)).toBe(99.999);
    expect(toConfidence(1)).toBe(99.999);
  });
});
