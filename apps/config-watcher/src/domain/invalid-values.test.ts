import type { ParameterIssue } from '@relabel/platform';
import { InvalidValueMonitor } from './invalid-values';

const issue = (value: string | null, inForce: number = 0.8): ParameterIssue => ({ name: 'Minimum-F1-Score', value, inForce, reason: 'bad' });

describe('InvalidValueMonitor', () => {
  it('reports a bad value once while it stays, and once more when it is replaced by another bad value', () => {
    const m = new InvalidValueMonitor();
    expect(m.update([issue('1.5')], 't1').appeared).toHaveLength(1);
    expect(m.update([issue('1.5')], 't2')).toEqual({ appeared: [], cleared: [] });
    const next = m.update([issue('abc')], 't3');
    expect(next.appeared).toEqual([issue('abc')]);
    expect(next.cleared).toEqual([]);
    expect(m.current()).toEqual([{ ...issue('abc'), since: 't3' }]);
  });

  it('clears a fixed value and keeps it in the recent record with the time it was cleared', () => {
    const m = new InvalidValueMonitor();
    m.update([issue(null)], 't1');
    const { cleared } = m.update([], 't2');
    expect(cleared).toEqual([{ ...issue(null), since: 't1' }]);
    expect(m.current()).toEqual([]);
    expect(m.recent()).toEqual([{ ...issue(null), since: 't1', clearedAt: 't2' }]);
  });

  it('keeps the recent record bounded', () => {
    const m = new InvalidValueMonitor(3);
    for (let i = 0; i < 5; i++) m.update([issue(`x${i}`)], `t${i}`);
    expect(m.recent().map((r) => r.value)).toEqual(['x4', 'x3', 'x2']);
  });
});
