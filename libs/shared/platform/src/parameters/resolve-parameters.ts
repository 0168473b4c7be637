import { isParameterName, PARAMETER_NAMES, ParameterName, Parameters, parseParameterValue, RelabelError } from '@relabel/contracts';
import type { ParameterChange, StoredParameter } from '@relabel/ports';

/** A stored value that is not in force, and what is used instead. */
export interface ParameterIssue {
  name: ParameterName;
  /** the value found in the store; null when the parameter is missing */
  value: string | null;
  /** what is used instead: the last valid value */
  inForce: boolean | number;
  reason: string;
}

/**
 * The values in force after reading the store: each parameter whose stored value parses replaces
 * the previous one; a missing or invalid value leaves `previous` in force and becomes an issue. Pure.
 */
export function resolveParameters(previous: Parameters, stored: StoredParameter[]): { values: Parameters; issues: ParameterIssue[] } {
  const byName = new Map(stored.filter((p) => isParameterName(p.name)).map((p) => [p.name as ParameterName, p.value]));
  const values = { ...previous } as Record<ParameterName, boolean | number>;
  const issues: ParameterIssue[] = [];
  for (const name of PARAMETER_NAMES) {
    const raw = byName.get(name);
    if (raw === undefined) {
      issues.push({ name, value: null, inForce: values[name], reason: `${name} is not set in the parameter store` });
      continue;
    }
    try {
      values[name] = parseParameterValue(name, raw);
    } catch (err) {
      issues.push({ name, value: raw, inForce: values[name], reason: err instanceof RelabelError ? err.message : String(err) });
    }
  }
  return { values: values as unknown as Parameters, issues };
}

/** The newest value in a history (newest first) that parses, if any. */
export function lastValidValue<N extends ParameterName>(name: N, history: ParameterChange[]): Parameters[N] | undefined {
  for (const change of history) {
    if (change.name !== name || change.newValue === null) continue;
    try {
      return parseParameterValue(name, change.newValue);
    } catch {
      // an older entry may still be valid
    }
  }
  return undefined;
}

export function changedNames(before: Parameters, after: Parameters): ParameterName[] {
  return PARAMETER_NAMES.filter((name) => before[name] !== after[name]);
}
