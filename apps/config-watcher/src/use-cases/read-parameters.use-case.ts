import { isParameterName, PARAMETER_NAMES, ParameterName, RelabelError } from '@relabel/contracts';
import type { ParameterStore } from '@relabel/ports';
import type { ParametersCache } from '@relabel/platform';
import { parameterView, ParameterView } from '../domain/parameter-view';

/** All nine parameters: in force, as stored, and their rules. */
export async function listParameters(deps: { store: ParameterStore; cache: ParametersCache }): Promise<ParameterView[]> {
  const stored = new Map((await deps.store.getAll()).map((p) => [p.name, p]));
  const inForce = deps.cache.current();
  const issues = new Map(deps.cache.issues().map((i) => [i.name, i]));
  return PARAMETER_NAMES.map((name) => parameterView(name, inForce, stored.get(name), issues.get(name)));
}

export async function getParameter(deps: { store: ParameterStore; cache: ParametersCache }, name: string): Promise<ParameterView> {
  const known = assertKnownParameter(name);
  const views = await listParameters(deps);
  return views.find((v) => v.name === known)!;
}

export function assertKnownParameter(name: string): ParameterName {
  if (isParameterName(name)) return name;
  throw new RelabelError('PARAM_UNKNOWN', `no parameter named ${JSON.stringify(name).slice(0, 80)}; known: ${PARAMETER_NAMES.join(', ')}`, {
    parameter: name.slice(0, 80),
    known: [...PARAMETER_NAMES],
  });
}
