import { defaultParameters } from '@relabel/contracts';
import type { StoredParameter } from '@relabel/ports';
import { changedNames, lastValidValue, resolveParameters } from './resolve-parameters';

const stored = (values: Record<string, string>): StoredParameter[] =>
  Object.entries(values).map(([name, value]) => ({ name, value, version: 1, lastModified: '2026-01-01T00:00:00Z' }));

const all = (overrides: Record<string, string> = {}) =>
  stored({ ...Object.fromEntries(Object.entries(defaultParameters()).map(([k, v]) => [k, String(v)])), ...overrides });

describe('resolveParameters', () => {
  it('parses every stored value exactly like the contract', () => {
    const { values, issues } = resolveParameters(defaultParameters(), all({ 'Minimum-F1-Score': '0.80', 'Enable-A2I-Workflow': 'FALSE' }));
    expect(issues).toEqual([]);
    expect(values['Minimum-F1-Score']).toBe(0.8);
    expect(values['Enable-A2I-Workflow']).toBe(false);
  });

  it('keeps the previous value in force for invalid or missing values and names the problem', () => {
    const previous = { ...defaultParameters(), 'Minimum-F1-Score': 0.85 };
    const input = all({ 'Minimum-F1-Score': '1,0' }).filter((p) => p.name !== 'Minimum-Inference-Units');
    const { values, issues } = resolveParameters(previous, input);
    expect(values['Minimum-F1-Score']).toBe(0.85);
    expect(values['Minimum-Inference-Units']).toBe(1);
    expect(issues).toEqual([
      expect.objectContaining({ name: 'Minimum-F1-Score', value: '1,0', inForce: 0.85, reason: expect.stringContaining('from 0 to 1') }),
      expect.objectContaining({ name: 'Minimum-Inference-Units', value: null, inForce: 1 }),
    ]);
  });

  it('ignores names that are not operator parameters', () => {
    const { issues, values } = resolveParameters(defaultParameters(), all({ 'Something-Else': 'x' }));
    expect(issues).toEqual([]);
    expect(Object.keys(values)).not.toContain('Something-Else');
  });
});

describe('lastValidValue', () => {
  it('answers the newest value of that parameter that parses', () => {
    const at = '2026-01-01T00:00:00Z';
    const history = [
      { name: 'Minimum-F1-Score', oldValue: '0.7', newValue: 'abc', version: 3, source: 'out-of-band', at },
      { name: 'Minimum-Inference-Units', oldValue: '1', newValue: '2', version: 2, source: 'api', at },
      { name: 'Minimum-F1-Score', oldValue: '0.8', newValue: '0.7', version: 2, source: 'api', at },
    ];
    expect(lastValidValue('Minimum-F1-Score', history)).toBe(0.7);
    expect(lastValidValue('Enable-A2I-Workflow', history)).toBeUndefined();
  });
});

describe('changedNames', () => {
  it('lists the parameters whose value differs', () => {
    expect(changedNames(defaultParameters(), { ...defaultParameters(), 'Automatic-Training-Poll-Frequency': 5 })).toEqual(['Automatic-Training-Poll-Frequency']);
  });
});
