export { createFileOperationalStateStore } from './file-operational-state.adapter';
export { createObjectStoreOperationalStateStore, OPERATIONAL_STATE_PREFIX } from './object-store-operational-state.adapter';
