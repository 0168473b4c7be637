import { gateVerdict } from './gate';

describe('gateVerdict', () => {
  it('passes at or above the minimum', () => {
    expect(gateVerdict(0.8, 0.8)).toEqual({ passed: true });
    expect(gateVerdict(0.95, 0.8)).toEqual({ passed: true });
  });

  it('rejects below the minimum with a reason naming both numbers', () => {
    expect(gateVerdict(0.79, 0.8)).toEqual({ passed: false, reason: 'F1 0.790 is below Minimum-F1-Score 0.800' });
    expect(gateVerdict(0.99, 1)).toMatchObject({ passed: false });
  });

  it('rejects a missing F1', () => {
    expect(gateVerdict(Number.NaN, 0)).toMatchObject({ passed: false, reason: expect.stringContaining('no usable F1') });
  });
});
