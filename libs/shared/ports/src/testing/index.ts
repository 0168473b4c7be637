export {};
export * from './synthetic-images';
export * from './object-store.conformance';
export * from './human-review.conformance';
export * from './parameter-store.conformance';
export * from './operational-state.conformance';
export * from './notifier.conformance';
export * from './model-service.conformance';
export * from './event-inbox.conformance';
