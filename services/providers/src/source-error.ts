/**
 * - `not_found`: the folder or file is missing, private, or needs a resource key (permanent).
 * - `rate_limited`: the source asked to slow down (429, Drive 403 rate-limit reasons); retry after a pause.
 * - `transient`: 5xx, a dropped connection, a timeout; retry.
 * - `file_unavailable`: this file can never be fetched (fileNotDownloadable, cannotDownloadAbusiveFile,
 *   downloadQuotaExceeded, a checksum that does not match): fail the file with `reason`, go on with the rest.
 * - `fatal`: the whole job cannot go on (bad API key, daily limit): fail the job.
 */
export type SourceErrorKind = 'not_found' | 'rate_limited' | 'transient' | 'file_unavailable' | 'fatal';

export class SourceError extends Error {
  override readonly name = 'SourceError';

  constructor(
    readonly kind: SourceErrorKind,
    /** The source's own reason code where it gives one (`fileNotDownloadable`), else a short code of ours. */
    readonly reason: string,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }

  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'transient';
  }
}
