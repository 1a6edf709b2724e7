export * from './dapr-names.js';
export * from './limits.js';
export * from './topic.js';
export * from './source-file.js';
export * from './import-job.js';
export * from './events.js';
export * from './import-job-actor.js';
export * from './http.js';
