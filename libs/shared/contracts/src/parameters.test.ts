import { RelabelError } from './errors';
import { defaultParameters, describeRange, parseParameterValue, PARAMETER_NAMES, PARAMETER_SPECS, type Parameters as ParameterValues } from './parameters';

function refusal(name: Parameters<typeof parseParameterValue>[0], raw: unknown): RelabelError {
  try {
    parseParameterValue(name, raw);
  } catch (err) {
    return err as RelabelError;
  }
  throw new Error(`${name}=${String(raw)} was accepted`);
}

describe('operator parameters', () => {
  it('types each value from its spec (boolean or number)', () => {
    const values: ParameterValues = defaultParameters();
    const enabled: boolean = values['Enable-A2I-Workflow'];
    // @ts-expect-error a boolean parameter is not a number
    const notANumber: number = values['Enable-Human-Sampling'];
    const rate: number = values['Human-Sampling-Rate'];
    for (const name of PARAMETER_NAMES) expect(typeof values[name]).toBe(PARAMETER_SPECS[name].type === 'boolean' ? 'boolean' : 'number');
    expect([typeof enabled, typeof notANumber, typeof rate]).toEqual(['boolean', 'boolean', 'number']);
  });

  it('has the nine parameters of the root README ("Operator parameters") with their defaults', () => {
    expect(defaultParameters()).toEqual({
      'Enable-Automatic-Training': true,
      'Automatic-Training-Poll-Frequency': 600,
      'Minimum-Untrained-Images': 10,
      'Minimum-F1-Score': 0.8,
      'Minimum-Inference-Units': 1,
      'Minimum-Label-Detection-Confidence': 70,
      'Enable-A2I-Workflow': true,
      'Enable-Human-Sampling': false,
      'Human-Sampling-Rate': 1000,
    });
    expect(PARAMETER_NAMES).toHaveLength(9);
  });

  it.each([
    ['Enable-A2I-Workflow', 'TRUE', true],
    ['Enable-A2I-Workflow', 'false', false],
    ['Enable-Automatic-Training', 'False', false],
    ['Minimum-F1-Score', '0.80', 0.8],
    ['Minimum-F1-Score', '1', 1],
    ['Minimum-F1-Score', '0', 0],
    ['Minimum-Label-Detection-Confidence', '99.5', 99.5],
    ['Automatic-Training-Poll-Frequency', '1', 1],
    ['Minimum-Untrained-Images', 25, 25],
    ['Enable-Human-Sampling', 'TRUE', true],
    ['Human-Sampling-Rate', '1', 1],
    ['Human-Sampling-Rate', '5', 5],
  ] as const)('accepts %s = %p', (name, raw, expected) => {
    expect(parseParameterValue(name, raw)).toBe(expected);
  });

  it.each([
    ['Minimum-F1-Score', '1.5'],
    ['Minimum-F1-Score', 'abc'],
    ['Minimum-F1-Score', '1,0'],
    ['Minimum-F1-Score', '-0.1'],
    ['Minimum-F1-Score', ''],
    ['Minimum-F1-Score', '1e-1'],
    ['Minimum-Untrained-Images', '1,000'],
    ['Minimum-Untrained-Images', '2.5'],
    ['Minimum-Untrained-Images', '0'],
    ['Automatic-Training-Poll-Frequency', ' 5'],
    ['Minimum-Label-Detection-Confidence', '100.01'],
    ['Enable-A2I-Workflow', 'yes'],
    ['Enable-A2I-Workflow', '1'],
    ['Enable-A2I-Workflow', null],
    ['Enable-Human-Sampling', 'on'],
    ['Human-Sampling-Rate', '0'],
    ['Human-Sampling-Rate', '2.5'],
  ] as const)('refuses %s = %p naming the parameter, the value and the range', (name, raw) => {
    const err = refusal(name, raw);
    expect(err.code).toBe('PARAM_INVALID');
    expect(err.message).toContain(name);
    expect(err.message).toContain(describeRange(name));
    expect(err.details).toMatchObject({ parameter: name, allowed: describeRange(name) });
  });

  it('describes ranges in words an operator can act on', () => {
    expect(describeRange('Minimum-F1-Score')).toBe('number from 0 to 1');
    expect(describeRange('Minimum-Untrained-Images')).toBe('integer >= 1');
    expect(describeRange('Enable-A2I-Workflow')).toBe('true or false');
  });
});
