/**
 * Size limits on the path from the transfer service through its sidecar to S3. The sidecar's
 * `max-body-size` and the SDK's `maxBodySizeMb` must agree; the binding payload stays below them
 * to leave room for gRPC framing and metadata. Larger files take the streaming upload path.
 */
const MiB = 1024 * 1024;

/** Sidecar `--max-body-size` in MiB (run file `maxBodySize`, annotation `dapr.io/max-body-size`). */
export const SIDECAR_MAX_BODY_MB = 64;

/** The SDK's gRPC `maxBodySizeMb`: the same as the sidecar so neither side truncates the other. */
export const SDK_MAX_BODY_MB = SIDECAR_MAX_BODY_MB;

/** Largest payload sent through the S3 binding in one request; above it, the streaming path. */
export const BINDING_MAX_PAYLOAD_BYTES = 48 * MiB;

/** What daprd delivers to an app (pub/sub messages, actor calls and reminders): the SDK's body parsers take this much at most. */
export const APP_CHANNEL_MAX_BODY_MB = 4;

/** A public request's JSON body. */
export const PUBLIC_JSON_MAX_BYTES = 1024 * 1024;

/** A URL list sent as CSV (a body or a file upload), which streams: the largest a request may be. */
export const URL_LIST_CSV_MAX_BYTES = 64 * 1024 * 1024;

/** Lines one `POST /import/urls` takes at most, JSON or CSV. */
export const MAX_URLS_PER_IMPORT = 100_000;

/** Characters one line of a URL list may have, JSON or CSV (8 KB): far above any real image URL, so a list stays bounded line by line. */
export const MAX_URL_LINE_LENGTH = 8192;
