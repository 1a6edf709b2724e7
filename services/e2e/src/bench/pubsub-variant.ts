import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { devkitConfig } from '@importer/devkit';

/** How much one sidecar reads ahead from Redis Streams: `queueDepth` (XREADGROUP COUNT and its queue) and `concurrency` (deliveries at once). */
export interface RedisReadAhead {
  queueDepth: number;
  concurrency: number;
}

/** The component with its read-ahead replaced; a file without both keys is refused, not run as it was. */
export function withReadAhead(componentYaml: string, readAhead: RedisReadAhead): string {
  let yaml = componentYaml;
  for (const [name, value] of Object.entries(readAhead)) {
    const key = new RegExp(`(- name: ${name}\\n\\s+value: )"\\d+"`);
    if (!key.test(yaml)) throw new Error(`the Redis pub/sub component has no ${name} to replace`);
    yaml = yaml.replace(key, `$1"${value}"`);
  }
  return yaml;
}

/**
 * A copy of components/pubsub-redis with another read-ahead, under .data (ignored), for startSystem's pubsubFolder:
 * the folder's path relative to the repository.
 */
export function redisReadAheadFolder(readAhead: RedisReadAhead): string {
  const source = join(devkitConfig.repoRoot, 'components', 'pubsub-redis', 'pubsub.yaml');
  const folder = join(devkitConfig.dataDir, 'bench', `pubsub-redis-q${readAhead.queueDepth}-c${readAhead.concurrency}`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'pubsub.yaml'), withReadAhead(readFileSync(source, 'utf8'), readAhead));
  return relative(devkitConfig.repoRoot, folder);
}
