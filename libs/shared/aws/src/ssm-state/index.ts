export { createSsmOperationalStateStore, type SsmOperationalStateOptions } from './ssm-operational-state.adapter';
