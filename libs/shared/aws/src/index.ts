// The AWS adapters: the only project allowed to import @aws-sdk/*.
export {};
export { createS3ObjectStore, type S3ObjectStoreOptions } from './s3/s3-object-store';
export * from './parameters';
export { createSqsEventInbox, type SqsEventInboxOptions } from './sqs/sqs-event-inbox';
export * from './ssm-state';
export * from './sns';
export * from './a2i';
export * from './rekognition';
export * from './clients';
export * from './ssm-accounts';
