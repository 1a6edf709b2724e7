import { parseArgs } from 'node:util';
import { MAX_REPLICAS } from '@importer/devkit';
import { z } from 'zod';

const count = (what: string, min: number) => z.coerce.number({ error: `${what} must be a number` }).int().min(min);

/** A comma-separated list of replica counts, `1,3`: each one imported in its own system, side by side. */
const ReplicaListSchema = z
  .string()
  .transform((text): unknown[] => text.split(',').map((part) => part.trim()))
  .pipe(z.array(count('each transfer replica count', 1).max(MAX_REPLICAS)).min(1));

const BenchOptionsSchema = z.object({
  /** A peer tool copying the same files (from the URL origin) beside the importer's URL-list import, alternating. */
  peer: z.enum(['rclone']).optional(),
  /** With --peer: also run the Drive bench (imports of the emulator's folder and the direct copy's ratio). */
  drive: z.boolean(),
  files: count('--files', 1),
  /** TRANSFER_CONCURRENCY: files each transfer replica moves at once. */
  concurrency: count('--concurrency', 1),
  /** The Drive emulator's delay before each answer: a source's latency. */
  latencyMs: count('--latency-ms', 0),
  fileSize: count('--file-size', 1),
  skipDirect: z.boolean(),
  transferReplicas: ReplicaListSchema,
  /** Each round imports once per replica count, every other round in reverse order, so drift weighs on each alike. */
  rounds: count('--rounds', 1),
  /** GOOGLE_REQUESTS_PER_SECOND: the shared request budget; far above what the emulator is asked, so it is not the cap. */
  requestsPerSecond: z.coerce.number().positive(),
  /** Another pub/sub folder, relative to the repository (`components/pubsub-rabbitmq`, or a tuned copy of Redis's). */
  pubsubFolder: z.string().min(1).optional(),
  /** Redis Streams read-ahead per sidecar (`--pubsub-read-ahead 1,2`: queueDepth 1, concurrency 2), in a copy of the component. */
  pubsubReadAhead: z
    .string()
    .transform((text): unknown[] => text.split(',').map((part) => part.trim()))
    .pipe(z.tuple([count('queueDepth', 1), count('concurrency', 1)]))
    .transform(([queueDepth, concurrency]) => ({ queueDepth, concurrency }))
    .optional(),
});

export type BenchOptions = z.infer<typeof BenchOptionsSchema>;

/** The bench's command line (`npm run bench -- --transfer-replicas 1,3 --latency-ms 200`), checked whole. */
export function parseBenchOptions(args: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      peer: { type: 'string' },
      drive: { type: 'boolean', default: false },
      files: { type: 'string', default: '10000' },
      concurrency: { type: 'string', default: '16' },
      'latency-ms': { type: 'string', default: '20' },
      'file-size': { type: 'string', default: String(64 * 1024) },
      'skip-direct': { type: 'boolean', default: false },
      'transfer-replicas': { type: 'string', default: '1' },
      rounds: { type: 'string', default: '1' },
      'requests-per-second': { type: 'string', default: '100000' },
      'pubsub-folder': { type: 'string' },
      'pubsub-read-ahead': { type: 'string' },
    },
  });
  const parsed = BenchOptionsSchema.safeParse({
    peer: values.peer,
    drive: values.drive,
    files: values.files,
    concurrency: values.concurrency,
    latencyMs: values['latency-ms'],
    fileSize: values['file-size'],
    skipDirect: values['skip-direct'],
    transferReplicas: values['transfer-replicas'],
    rounds: values.rounds,
    requestsPerSecond: values['requests-per-second'],
    pubsubFolder: values['pubsub-folder'],
    pubsubReadAhead: values['pubsub-read-ahead'],
  });
  if (!parsed.success) throw new Error(`bad bench options:\n${z.prettifyError(parsed.error)}`);
  if (parsed.data.pubsubFolder && parsed.data.pubsubReadAhead) throw new Error('bad bench options: --pubsub-read-ahead tunes the Redis component, so it goes without --pubsub-folder');
  return parsed.data;
}

/** One import of the plan: its round and how many transfer replicas run it. */
export interface PlannedRun {
  round: number;
  transferReplicas: number;
}

/** The imports in the order they run: `1,3` over two rounds is 1, 3, 3, 1. */
export function runPlan(replicaCounts: readonly number[], rounds: number): PlannedRun[] {
  return Array.from({ length: rounds }, (_, round) => (round % 2 === 0 ? [...replicaCounts] : [...replicaCounts].reverse()).map((transferReplicas) => ({ round: round + 1, transferReplicas }))).flat();
}
