import { decideGate, gateVerdict } from './gate';

const evaluation = (f1: number) => ({ f1, precision: f1, recall: f1, testImages: 10, perLabel: [] });

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

describe('decideGate', () => {
  const challenger = { version: 'v2', evaluation: evaluation(0.85) };

  it('records the minimum in force, the challenger and a passing verdict', () => {
    const { gate, detail } = decideGate({ minimumF1: 0.8, challenger });
    expect(gate).toEqual({ minimumF1: 0.8, passed: true, challenger });
    expect(detail).toBe('F1 0.850 vs minimum 0.8');
  });

  it('lets the champion inform but never decide', () => {
    const better = { version: 'v1', evaluation: evaluation(0.99) };
    const { gate, detail } = decideGate({ minimumF1: 0.8, challenger, champion: better });
    expect(gate).toMatchObject({ passed: true, champion: better });
    expect(detail).toBe('F1 0.850 vs minimum 0.8; live v1 scores 0.990');
    const failed = decideGate({ minimumF1: 0.9, challenger, champion: { version: 'v1', error: 'model down' } });
    expect(failed.gate).toMatchObject({ passed: false, reason: 'F1 0.850 is below Minimum-F1-Score 0.900', champion: { error: 'model down' } });
    expect(failed.detail).toBe('F1 0.850 vs minimum 0.9');
  });
});
