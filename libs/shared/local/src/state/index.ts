export { createFileOperationalStateStore } from './file-operational-state.adapter';
