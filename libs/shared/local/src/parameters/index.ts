export { createFileParameterStore } from './file-parameter-store.adapter';
export type { FileParameterStoreOptions } from './file-parameter-store.adapter';
