export * from './errors';
export * from './schema';
export * from './labels';
export * from './object-keys';
export * from './parameters';
export * from './object-created.event';
export * from './queues';
export * from './human-loop-output';
