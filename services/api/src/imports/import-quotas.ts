import { ApiError } from '../http/api-error.js';

/** Each user's limits; 0 means no limit. */
export interface QuotaSettings {
  /** Jobs not yet ended, at once. */
  maxActiveJobs: number;
  /** Files one job may find (a URL list's lines are counted as they arrive, a folder's by its job as listing goes). */
  maxFilesPerJob: number;
  /** Bytes of images stored, over all the user's jobs. */
  maxStoredBytes: number;
}

/** What the quotas read: the owner's jobs still going and bytes stored, from PostgreSQL so every replica sees the same. */
export interface QuotaUsage {
  countActive(ownerId: string): Promise<number>;
  storedBytes(ownerId: string): Promise<number>;
}

const GiB = 1024 ** 3;

function refused(code: string, message: string, retryAfterSeconds: number): ApiError {
  return new ApiError(429, code, message, { 'Retry-After': String(retryAfterSeconds) });
}

/**
 * Per-user quotas, checked before a job exists: past one, 429 with Retry-After and a message naming it. Two imports
 * started in the same instant may both pass the jobs check; the next is refused.
 */
export class ImportQuotas {
  constructor(
    private readonly settings: QuotaSettings,
    private readonly usage: QuotaUsage,
  ) {}

  /** The files-per-job limit the job's actor enforces while it lists, or null for none. */
  get maxFilesPerJob(): number | null {
    return this.settings.maxFilesPerJob || null;
  }

  async beforeJob(ownerId: string): Promise<void> {
    const { maxActiveJobs, maxStoredBytes } = this.settings;
    const [active, stored] = await Promise.all([
      maxActiveJobs ? this.usage.countActive(ownerId) : 0,
      maxStoredBytes ? this.usage.storedBytes(ownerId) : 0,
    ]);
    if (maxActiveJobs && active >= maxActiveJobs) {
      throw refused('quota_active_jobs', `You have ${active} imports running, the most this account may run at once (${maxActiveJobs}); wait for one to end or cancel one.`, 30);
    }
    if (maxStoredBytes && stored >= maxStoredBytes) {
      throw refused('quota_storage', `Your images take ${(stored / GiB).toFixed(2)} GiB, this account's storage quota (${(maxStoredBytes / GiB).toFixed(2)} GiB); no new import can start.`, 3600);
    }
  }

  /** Refuses a URL list once it has more lines than one job may have. */
  checkFileCount(count: number): void {
    const max = this.settings.maxFilesPerJob;
    if (max && count > max) throw refused('quota_files_per_job', `The list has more than ${max} URLs, the most one job may have on this account; split it into several imports.`, 60);
  }
}
