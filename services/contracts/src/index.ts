export * from './dapr-names.js';
export * from './limits.js';
export * from './topic.js';
export * from './source-file.js';
export * from './import-job.js';
