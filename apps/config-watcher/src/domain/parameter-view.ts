import { describeRange, PARAMETER_SPECS, ParameterName, Parameters } from '@relabel/contracts';
import type { StoredParameter } from '@relabel/ports';
import type { ParameterIssue } from '@relabel/platform';

/** What the admin API shows for one parameter: the value in force, what is stored, and its rules. */
export interface ParameterView {
  name: ParameterName;
  value: boolean | number;
  stored: string | null;
  version: number | null;
  lastModified: string | null;
  type: 'boolean' | 'integer' | 'number';
  default: boolean | number;
  allowed: string;
  description: string;
  /** set when the stored value is not in force */
  problem?: string;
}

export function parameterView(
  name: ParameterName,
  inForce: Parameters,
  stored: StoredParameter | undefined,
  issue: ParameterIssue | undefined,
): ParameterView {
  const spec = PARAMETER_SPECS[name];
  const view: ParameterView = {
    name,
    value: inForce[name],
    stored: stored?.value ?? null,
    version: stored?.version ?? null,
    lastModified: stored?.lastModified ?? null,
    type: spec.type,
    default: spec.default,
    allowed: describeRange(name),
    description: spec.description,
  };
  if (issue) view.problem = issue.reason;
  return view;
}
