import { createClient } from 'redis';
import type { RedisReply } from 'rate-limit-redis';
import type { Logger } from '@importer/observability';

/** How long a rate-limit count may take before the request goes on without it. */
const COMMAND_TIMEOUT_MS = 2_000;

/**
 * A connection to the Redis that holds the request counters of every api replica. Waits for it at startup (the
 * counters' scripts load then); later a command that gets no answer in 2 s fails instead of holding a request.
 */
export async function connectRedisCommands({ url, password }: { url: string; password?: string }, log: Logger): Promise<{ sendCommand: (...args: string[]) => Promise<RedisReply>; close: () => Promise<void> }> {
  const client = createClient({ url, ...(password ? { password } : {}), socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5_000) } });
  client.on('error', (error: unknown) => log.warn('rate-limit redis', { error: error instanceof Error ? error.message : String(error) }));
  await client.connect();
  return {
    sendCommand: (...args) =>
      Promise.race([
        client.sendCommand(args) as Promise<RedisReply>,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`redis gave no answer in ${COMMAND_TIMEOUT_MS} ms`)), COMMAND_TIMEOUT_MS).unref()),
      ]),
    close: async () => {
      await client.close();
    },
  };
}
