export { createLogger, type LogFields, type Logger, type LoggerOptions } from './logger.js';
export { createImportMetrics, type ImportMetrics, metricsHandler, type QueueLag, reasonCode } from './metrics.js';
export { isSecretName, REDACTED, redactText } from './redact.js';
