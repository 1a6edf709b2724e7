import type { Logger } from '@importer/observability';

/**
 * Runs a reminder or timer body so that it cannot throw: the JS SDK does not catch these, and a
 * rejection there ends the Node process. The error is logged with the reminder's name instead.
 */
export async function runReminderSafely(name: string, body: () => Promise<void>, log: Logger): Promise<void> {
  try {
    await body();
  } catch (error) {
    log.error('reminder failed', { reminder: name, error });
  }
}

/** Logs, instead of dying on, a rejection nobody awaited (the SDK's own actor routes can produce one). */
export function installCrashGuards(log: Logger): void {
  process.on('unhandledRejection', (reason) => {
    log.error('unhandled promise rejection', { error: reason instanceof Error ? reason : String(reason) });
  });
}
