import type { JobDetail, JobFiles, JobFilesQuery, JobSummary } from '@importer/contracts';
import type { JobFilesRepository, JobSummariesRepository, JobSummaryRow, OwnerScope } from '@importer/db';
import type { ImportJobClient } from '../actors/import-job.client.js';
import { ApiError } from '../http/api-error.js';
import { decodeCursor, encodeCursor } from '../http/keyset-cursor.js';
import { toFileError, toJobFile } from './job-file.mapper.js';
import { toJobSummary } from './job-summary.mapper.js';

/** Failed files listed on a job; the rest are in the ledger. */
const ERRORS_SHOWN = 100;

/**
 * Reads jobs from their summary rows (no actor is woken to list them) and sends commands to their actors. Every call
 * names whose jobs it may touch; another owner's job answers 404 like one that does not exist.
 */
export class JobsService {
  constructor(
    private readonly summaries: Pick<JobSummariesRepository, 'find' | 'page'>,
    private readonly ledger: Pick<JobFilesRepository, 'failedFiles' | 'filesPage'>,
    private readonly jobs: Pick<ImportJobClient, 'cancel' | 'retryFailed'>,
  ) {}

  async get(scope: OwnerScope, jobId: string): Promise<JobDetail> {
    const row = await this.require(scope, jobId);
    const errors = await this.ledger.failedFiles(jobId, scope, ERRORS_SHOWN);
    return { ...toJobSummary(row), errors: errors.map(toFileError) };
  }

  /** Every file of a job with its status and reason, in the order found; `next_cursor` pages cost the same at any depth. */
  async files(scope: OwnerScope, jobId: string, query: JobFilesQuery): Promise<JobFiles> {
    await this.require(scope, jobId);
    const rows = await this.ledger.filesPage(
      jobId,
      scope,
      { ...(query.status ? { status: query.status } : {}), ...(query.cursor ? { after: query.cursor } : {}) },
      query.limit + 1,
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      files: page.map(toJobFile),
      next_cursor: rows.length > query.limit && last ? last.id : null,
    };
  }

  async list(scope: OwnerScope, limit: number, cursor?: string): Promise<{ jobs: JobSummary[]; next_cursor: string | null }> {
    const rows = await this.summaries.page(scope, limit + 1, cursor ? decodeCursor(cursor) : undefined);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { jobs: page.map(toJobSummary), next_cursor: rows.length > limit && last ? encodeCursor(last) : null };
  }

  async cancel(scope: OwnerScope, jobId: string): Promise<JobSummary> {
    await this.require(scope, jobId);
    const result = await this.jobs.cancel(jobId);
    if (result.outcome === 'conflict') throw new ApiError(409, 'conflict', `The job cannot be cancelled: ${result.message}.`);
    return toJobSummary(await this.require(scope, jobId));
  }

  async retry(scope: OwnerScope, jobId: string): Promise<JobSummary> {
    await this.require(scope, jobId);
    const result = await this.jobs.retryFailed(jobId);
    if (result.outcome === 'conflict') throw new ApiError(409, 'conflict', `Nothing to retry: ${result.message}.`);
    return toJobSummary(await this.require(scope, jobId));
  }

  private async require(scope: OwnerScope, jobId: string): Promise<JobSummaryRow> {
    const row = await this.summaries.find(jobId, scope);
    if (!row) throw new ApiError(404, 'job_not_found', `There is no import job ${jobId}.`);
    return row;
  }
}
