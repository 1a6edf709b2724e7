export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose every line also carries these fields (a job id, a file id). */
  child(fields: LogFields): Logger;
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const rank: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  service: string;
  level?: Level;
  /** Where lines go; stdout by default. */
  write?: (line: string) => void;
}

/** One JSON object per line: `{"time","level","service","msg",...fields}`; errors become their message and stack. */
export function createLogger({ service, level = 'info', write = (line) => process.stdout.write(line) }: LoggerOptions): Logger {
  const make = (base: LogFields): Logger => {
    const emit = (lineLevel: Level, msg: string, fields?: LogFields) => {
      if (rank[lineLevel] < rank[level]) return;
      const record = { time: new Date().toISOString(), level: lineLevel, service, msg, ...base, ...serializeFields(fields) };
      write(`${JSON.stringify(record)}\n`);
    };
    return {
      debug: (msg, fields) => emit('debug', msg, fields),
      info: (msg, fields) => emit('info', msg, fields),
      warn: (msg, fields) => emit('warn', msg, fields),
      error: (msg, fields) => emit('error', msg, fields),
      child: (fields) => make({ ...base, ...fields }),
    };
  };
  return make({});
}

function serializeFields(fields: LogFields | undefined): LogFields {
  if (!fields) return {};
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error ? { message: value.message, name: value.name, stack: value.stack } : value;
  }
  return out;
}
