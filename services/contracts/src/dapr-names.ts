/**
 * Every Dapr name the system uses, declared once. The component YAML in `components/` and
 * `dapr/dapr.yaml` declare the same names; `dapr-names.spec.ts` fails when they drift apart.
 */

/** App ids, one per service; each runs beside a sidecar of the same id. */
export const AppId = {
  api: 'api',
  lister: 'lister',
  transfer: 'transfer',
  web: 'web',
} as const;
export type AppId = (typeof AppId)[keyof typeof AppId];

/** Component names, the `metadata.name` of each file in `components/`. */
export const ComponentName = {
  /** Pub/sub broker: Redis Streams by default, RabbitMQ as the alternative, under this one name. */
  pubsub: 'pubsub',
  /** State store that holds actor state (`actorStateStore: "true"`). */
  actorState: 'actorstate',
  /** Output binding to S3-compatible storage where image bytes land. */
  imageStore: 'image-store',
  /** Secret store the other components take their credentials from. */
  secretStore: 'secretstore',
} as const;

/** Configuration resource name (`dapr/config.yaml`): lister, transfer and web. */
export const DaprConfigName = 'importer-config';

/** api's Configuration (`dapr/api-config.yaml`): the same, plus the access-control policy that lets web invoke the public routes. */
export const DaprApiConfigName = 'importer-api-config';

/** Resiliency resource name (`dapr/resiliency.yaml`). */
export const ResiliencyName = 'importer-resiliency';
