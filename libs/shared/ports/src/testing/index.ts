export {};
export * from './synthetic-images';
