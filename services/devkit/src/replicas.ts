import { z } from 'zod';

/** More replicas than this on one machine is a typo, not a plan: each one is an app and a sidecar. */
export const MAX_REPLICAS = 16;

const ReplicaCountSchema = z.coerce.number().int().min(1).max(MAX_REPLICAS);

/**
 * The variables that scale an app locally (`TRANSFER_REPLICAS=3 npm start`). web has none: it serves the one public
 * port, 8080, and the other replicas of it would take free ports nobody browses to.
 */
export const ReplicaEnvSchema = z.object({
  API_REPLICAS: ReplicaCountSchema.optional(),
  LISTER_REPLICAS: ReplicaCountSchema.optional(),
  TRANSFER_REPLICAS: ReplicaCountSchema.optional(),
});

export type ReplicaEnv = z.infer<typeof ReplicaEnvSchema>;

/** Replica counts by app id, as the environment gives them. */
export function replicasFromEnv(env: ReplicaEnv): Partial<Record<string, number>> {
  return {
    ...(env.API_REPLICAS === undefined ? {} : { api: env.API_REPLICAS }),
    ...(env.LISTER_REPLICAS === undefined ? {} : { lister: env.LISTER_REPLICAS }),
    ...(env.TRANSFER_REPLICAS === undefined ? {} : { transfer: env.TRANSFER_REPLICAS }),
  };
}

/**
 * How many replicas of each app to run: what the caller asks for (a test), else the environment, else the run file's
 * `replicas:`, else 1. A count for an app the run file does not have is refused, since it would be silently unused.
 */
export function replicaCounts(
  apps: readonly { appID: string; replicas?: number | undefined }[],
  asked: Partial<Record<string, number>> = {},
  fromEnv: Partial<Record<string, number>> = {},
): Map<string, number> {
  const known = new Set(apps.map((app) => app.appID));
  for (const [label, counts] of [['replicas asked for', asked], ['replicas set in the environment for', fromEnv]] as const) {
    for (const [appId, count] of Object.entries(counts)) {
      if (!known.has(appId)) throw new Error(`${label} ${appId}, which the run file does not have (it has ${[...known].join(', ')})`);
      if (count !== undefined && !ReplicaCountSchema.safeParse(count).success) throw new Error(`replicas of ${appId} must be a whole number from 1 to ${MAX_REPLICAS}, not ${count}`);
    }
  }
  return new Map(apps.map((app) => [app.appID, asked[app.appID] ?? fromEnv[app.appID] ?? app.replicas ?? 1]));
}

/** The name of one replica in log prefixes and log folders: the app id alone when it is the only one, `transfer#2` otherwise. */
export function replicaName(appId: string, index: number, count: number): string {
  return count === 1 ? appId : `${appId}#${index}`;
}
