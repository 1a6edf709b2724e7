import { createClient } from 'redis';
import type { RedisReply } from 'rate-limit-redis';
import type { Logger } from '@importer/observability';

/**
 * A connection to the Redis that holds the request counters of every api replica, waited for at startup (the
 * counters' scripts load then). How long a command may take is the rate limiter's rule (rate-limits.ts).
 */
export async function connectRedisCommands({ url, password }: { url: string; password?: string }, log: Logger): Promise<{ sendCommand: (...args: string[]) => Promise<RedisReply>; close: () => Promise<void> }> {
  const client = createClient({ url, ...(password ? { password } : {}), socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5_000) } });
  client.on('error', (error: unknown) => log.warn('rate-limit redis', { error: error instanceof Error ? error.message : String(error) }));
  await client.connect();
  return {
    sendCommand: (...args) => client.sendCommand(args) as Promise<RedisReply>,
    close: async () => {
      await client.close();
    },
  };
}
