export { createSsmParameterStore } from './ssm-parameter-store.adapter';
export type { SsmParameterStoreOptions } from './ssm-parameter-store.adapter';
export { parameterChangeName } from './ssm-change-event';
