import { isSecretName, REDACTED, redactText } from './redact.js';

export type LogFields = Record<string, unknown>;

// Deep enough for any field we log; deeper (or circular) values are cut rather than walked forever.
const MAX_DEPTH = 8;

/**
 * The fields as they may be written: an Error anywhere becomes its type, name, message, stack, scalar properties (a
 * `code`, a `status`) and its cause, likewise; a value named like a secret is masked, and so is a secret inside text.
 */
export function loggableFields(fields: LogFields): LogFields {
  return loggable(fields, 0, new WeakSet()) as LogFields;
}

function loggable(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  try {
    if (value instanceof Error) return loggable(serializeError(value), depth + 1, seen);
    // Dates, URLs and Buffers say what JSON.stringify would write for them.
    if ('toJSON' in value && typeof value.toJSON === 'function') return loggable((value.toJSON as () => unknown)(), depth + 1, seen);
    if (Array.isArray(value)) return value.map((item) => loggable(item, depth + 1, seen));
    const out: LogFields = {};
    for (const [key, item] of Object.entries(value)) out[key] = isSecret(key, item) ? REDACTED : loggable(item, depth + 1, seen);
    return out;
  } finally {
    seen.delete(value);
  }
}

/** A count or a flag under a secret's name (a quota's `tokens`) says nothing secret. */
function isSecret(key: string, value: unknown): boolean {
  return isSecretName(key) && value !== undefined && value !== null && typeof value !== 'number' && typeof value !== 'boolean';
}

/**
 * An error's own scalar properties only, beside its cause: a client's error (gaxios, the AWS SDK) carries its whole
 * request and response, with the credentials in them and a stream body, which say nothing the message does not.
 */
function serializeError(error: Error): LogFields {
  const out: LogFields = { type: error.constructor.name, name: error.name, message: error.message, stack: error.stack };
  for (const [key, value] of Object.entries(error)) if (!(key in out) && isScalar(value)) out[key] = value;
  if (error.cause !== undefined) out.cause = error.cause;
  if (error instanceof AggregateError) out.errors = error.errors;
  return out;
}

function isScalar(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof value);
}
