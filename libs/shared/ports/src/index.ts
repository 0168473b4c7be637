export * from './object-store.port';
export * from './event-inbox.port';
export * from './model-service.port';
export * from './human-review.port';
export * from './parameter-store.port';
export * from './notifier.port';
export * from './operational-state.port';
export * from './logger.port';
