import { RelabelError } from './errors';

/**
 * The nine operator parameters (root README, "Operator parameters"): the reference design's seven
 * plus audit sampling.
 * Values live as strings in the parameter store; this is the single place that knows their types,
 * defaults and allowed ranges.
 */
export const PARAMETER_NAMES = [
  'Enable-Automatic-Training',
  'Automatic-Training-Poll-Frequency',
  'Minimum-Untrained-Images',
  'Minimum-F1-Score',
  'Minimum-Inference-Units',
  'Minimum-Label-Detection-Confidence',
  'Enable-A2I-Workflow',
  'Enable-Human-Sampling',
  'Human-Sampling-Rate',
] as const;

export type ParameterName = (typeof PARAMETER_NAMES)[number];

type BooleanSpec = { type: 'boolean'; default: boolean; description: string };
type NumberSpec = { type: 'integer' | 'number'; default: number; min: number; max?: number; description: string };
export type ParameterSpec = BooleanSpec | NumberSpec;

const SPECS = {
  'Enable-Automatic-Training': { type: 'boolean', default: true, description: 'the scheduled training poll runs at all' },
  'Automatic-Training-Poll-Frequency': { type: 'integer', default: 600, min: 1, description: 'minutes between training polls' },
  'Minimum-Untrained-Images': { type: 'integer', default: 10, min: 1, description: 'new labelled images since the last deployed model needed to train' },
  'Minimum-F1-Score': { type: 'number', default: 0.8, min: 0, max: 1, description: 'a trained version deploys only if its F1 is at least this' },
  'Minimum-Inference-Units': { type: 'integer', default: 1, min: 1, description: 'capacity a version is started with' },
  'Minimum-Label-Detection-Confidence': { type: 'number', default: 70, min: 0, max: 100, description: 'a detection whose top confidence is strictly below goes to review' },
  'Enable-A2I-Workflow': { type: 'boolean', default: true, description: 'low-confidence detections create human loops' },
  'Enable-Human-Sampling': { type: 'boolean', default: false, description: 'confident detections are sampled for review as audits' },
  'Human-Sampling-Rate': { type: 'integer', default: 1000, min: 1, description: 'one in N confident detections goes to review as an audit' },
} satisfies Record<ParameterName, ParameterSpec>;

export const PARAMETER_SPECS: Readonly<Record<ParameterName, ParameterSpec>> = SPECS;

/** The values in force, typed from `PARAMETER_SPECS`: a boolean spec gives a boolean, the others a number. */
export type Parameters = { [N in ParameterName]: (typeof SPECS)[N]['type'] extends 'boolean' ? boolean : number };

export function isParameterName(name: string): name is ParameterName {
  return (PARAMETER_NAMES as readonly string[]).includes(name);
}

export function defaultParameters(): Parameters {
  const out = {} as Record<ParameterName, boolean | number>;
  for (const name of PARAMETER_NAMES) out[name] = PARAMETER_SPECS[name].default;
  return out as unknown as Parameters;
}

/** "integer ≥ 1", "number 0–1", "true or false" — used in every refusal message. */
export function describeRange(name: ParameterName): string {
  const spec = PARAMETER_SPECS[name];
  if (spec.type === 'boolean') return 'true or false';
  if (spec.max === undefined) return `${spec.type} >= ${spec.min}`;
  return `${spec.type} from ${spec.min} to ${spec.max}`;
}

// Plain decimals only: "1,000", "1e3", "0x10", " 5", "" and "Infinity" are refused; "0.80" is fine.
const DECIMAL = /^-?(\d+(\.\d+)?|\.\d+)$/;

/**
 * Parses a stored/submitted value of a parameter. Throws PARAM_INVALID with a message naming the
 * parameter, the value and the allowed range; never coerces silently.
 */
export function parseParameterValue<N extends ParameterName>(name: N, raw: unknown): Parameters[N] {
  const spec = PARAMETER_SPECS[name];
  const text = typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined;
  const refuse = (): never => {
    const shown = text === undefined ? JSON.stringify(raw) ?? String(raw) : JSON.stringify(text);
    throw new RelabelError('PARAM_INVALID', `${name}: ${shown} is not allowed; expected ${describeRange(name)}`, {
      parameter: name,
      value: text ?? raw,
      allowed: describeRange(name),
    });
  };
  if (text === undefined) return refuse();
  if (spec.type === 'boolean') {
    const lower = text.toLowerCase();
    if (lower === 'true') return true as Parameters[N];
    if (lower === 'false') return false as Parameters[N];
    return refuse();
  }
  if (!DECIMAL.test(text)) return refuse();
  const value = Number(text);
  if (!Number.isFinite(value)) return refuse();
  if (spec.type === 'integer' && !Number.isInteger(value)) return refuse();
  if (value < spec.min || (spec.max !== undefined && value > spec.max)) return refuse();
  return value as Parameters[N];
}

/** The canonical string form written to the store. */
export function formatParameterValue(value: boolean | number): string {
  return String(value);
}
