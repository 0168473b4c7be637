// The embedded (local-profile) adapters, one module per port.
export {};
export { createFsObjectStore, type FsObjectStoreOptions } from './object-store/fs-object-store';
export * from './parameters';
export * from './state';
export * from './notifier';
export { createLocalHumanReview, type LocalHumanReviewOptions } from './review/local-human-review.adapter';
export { createLocalModelService, type LocalModelServiceOptions } from './model/local-model-service.adapter';
export { createFsEventInbox, type FsEventInboxOptions } from './inbox/fs-event-inbox';
export { createFileAccountStore } from './accounts/file-account-store.adapter';
