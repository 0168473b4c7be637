export { ParametersCache } from './parameters-cache';
export type { ParametersCacheOptions, ParametersListener } from './parameters-cache';
export { resolveParameters, lastValidValue, changedNames } from './resolve-parameters';
export type { ParameterIssue } from './resolve-parameters';
export { publishConfigChanged, configChangedChannel } from './publish-config-changed';
