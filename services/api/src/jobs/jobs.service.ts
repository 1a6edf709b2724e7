import type { JobDetail, JobFiles, JobFilesQuery, JobSummary } from '@importer/contracts';
import type { JobFilesRepository, JobSummariesRepository, JobSummaryRow } from '@importer/db';
import type { ImportJobClient } from '../actors/import-job.client.js';
import { ApiError } from '../http/api-error.js';
import { decodeCursor, encodeCursor } from '../http/keyset-cursor.js';
import { toFileError, toJobFile } from './job-file.mapper.js';
import { toJobSummary } from './job-summary.mapper.js';

/** Failed files listed on a job; the rest are in the ledger. */
const ERRORS_SHOWN = 100;

/** Reads jobs from their summary rows (no actor is woken to list them) and sends commands to their actors. */
export class JobsService {
  constructor(
    private readonly summaries: Pick<JobSummariesRepository, 'find' | 'page'>,
    private readonly ledger: Pick<JobFilesRepository, 'failedFiles' | 'filesPage'>,
    private readonly jobs: Pick<ImportJobClient, 'cancel' | 'retryFailed'>,
  ) {}

  async get(jobId: string): Promise<JobDetail> {
    const row = await this.require(jobId);
    const errors = await this.ledger.failedFiles(jobId, ERRORS_SHOWN);
    return { ...toJobSummary(row), errors: errors.map(toFileError) };
  }

  /** Every file of a job with its status and reason, in the order found; `next_cursor` pages cost the same at any depth. */
  async files(jobId: string, query: JobFilesQuery): Promise<JobFiles> {
    await this.require(jobId);
    const rows = await this.ledger.filesPage(
      jobId,
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

  async list(limit: number, cursor?: string): Promise<{ jobs: JobSummary[]; next_cursor: string | null }> {
    const rows = await this.summaries.page(limit + 1, cursor ? decodeCursor(cursor) : undefined);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { jobs: page.map(toJobSummary), next_cursor: rows.length > limit && last ? encodeCursor(last) : null };
  }

  async cancel(jobId: string): Promise<JobSummary> {
    await this.require(jobId);
    const result = await this.jobs.cancel(jobId);
    if (result.outcome === 'conflict') throw new ApiError(409, 'conflict', `The job cannot be cancelled: ${result.message}.`);
    return toJobSummary(await this.require(jobId));
  }

  async retry(jobId: string): Promise<JobSummary> {
    await this.require(jobId);
    const result = await this.jobs.retryFailed(jobId);
    if (result.outcome === 'conflict') throw new ApiError(409, 'conflict', `Nothing to retry: ${result.message}.`);
    return toJobSummary(await this.require(jobId));
  }

  private async require(jobId: string): Promise<JobSummaryRow> {
    const row = await this.summaries.find(jobId);
    if (!row) throw new ApiError(404, 'job_not_found', `There is no import job ${jobId}.`);
    return row;
  }
}
