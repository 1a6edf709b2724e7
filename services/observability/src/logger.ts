import { type DestinationStream, destination, pino, type Logger as PinoLogger, stdTimeFunctions } from 'pino';
import { type LogFields, loggableFields } from './log-fields.js';

export type { LogFields } from './log-fields.js';

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose every line also carries these fields (a job id, a file id). */
  child(fields: LogFields): Logger;
}

type Level = 'debug' | 'info' | 'warn' | 'error';

export interface LoggerOptions {
  service: string;
  level?: Level;
  /** Where lines go; stdout by default. */
  write?: (line: string) => void;
}

/**
 * One JSON object per line, written by pino: `{"level","time","service",...child fields,"msg",...fields}`, the
 * level as its name and the time in ISO 8601. Errors become their type, message, stack and cause; secrets are
 * masked, by their field's name or inside text (see redact.ts).
 */
export function createLogger({ service, level = 'info', write }: LoggerOptions): Logger {
  // Synchronous, as process.stdout.write is to a file or pipe: the last lines before a crash are not lost.
  const stream: DestinationStream = write ? { write } : destination({ dest: 1, sync: true });
  const root = pino(
    {
      level,
      base: { service },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
  return wrap(root);
}

function wrap(logger: PinoLogger): Logger {
  const at = (level: Level) => (msg: string, fields?: LogFields) => {
    // The message goes in with the fields, so it is redacted with them and comes before them on the line.
    if (logger.isLevelEnabled(level)) logger[level](loggableFields({ msg, ...fields }));
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (fields) => wrap(logger.child(loggableFields(fields))) };
}
