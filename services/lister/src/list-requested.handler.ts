import {
  acceptsWork,
  currentFolderRef,
  FILES_PER_BATCH,
  filesFoundTopic,
  listingFailedTopic,
  listingProgressTopic,
  type ListRequested,
  listRequestedTopic,
  type SourceFile,
  type SourceKind,
} from '@importer/contracts';
import { type FolderListingsRepository, isDataError, type JobSummariesRepository, type RecordedPage } from '@importer/db';
import type { ImportMetrics, Logger } from '@importer/observability';
import { type ImageSource, type ListPage, SourceError } from '@importer/providers';
import type { TopicPublisher } from '@importer/sidecar';

export interface ListRequestedDependencies {
  sources: Partial<Record<SourceKind, ImageSource>>;
  listings: Pick<FolderListingsRepository, 'beginListing' | 'recordPage' | 'noteListingFailed' | 'failFolder'>;
  summaries: Pick<JobSummariesRepository, 'status'>;
  publisher: TopicPublisher;
  log: Logger;
  /** Counts the files listed for Prometheus; none in tests that do not look. */
  metrics?: Pick<ImportMetrics, 'filesListed'>;
}

/** What an error says, for a person reading the job's reason. */
function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function batches(files: readonly SourceFile[]): SourceFile[][] {
  const out: SourceFile[][] = [];
  for (let i = 0; i < files.length; i += FILES_PER_BATCH) out.push(files.slice(i, i + FILES_PER_BATCH));
  return out;
}

/**
 * Lists one page of one folder. The page lands in the ledger in one transaction, and only what is new there is
 * published, so a redelivered request does nothing twice; a crash between the two is repaired by the job's watchdog,
 * which re-sends from the ledger what was recorded but never published. Each attempt is counted in the ledger before
 * it starts, and a page that can never be stored (a data error) or keeps failing fails its folder and the job, so no
 * request is re-sent forever.
 */
export class ListRequestedHandler {
  constructor(private readonly deps: ListRequestedDependencies) {}

  async handle(received: ListRequested): Promise<void> {
    // A request sent before the upgrade is listed, and passed on, as it is meant now.
    const request = { ...received, folder: currentFolderRef(received.source, received.folder) };
    const { jobId, folder, cursor } = request;
    const log = this.deps.log.child({ jobId, folderId: folder.id, cursor });
    const status = await this.deps.summaries.status(jobId);
    if (!acceptsWork(status)) {
      log.info('not listing: the job has ended or does not exist', { status });
      return;
    }
    const source = this.deps.sources[request.source];
    if (!source) throw new Error(`no ${request.source} source is configured in this lister`);

    const attempt = await this.deps.listings.beginListing(jobId, folder.id, cursor);
    if (attempt.state === 'stale') {
      log.info('page already listed; nothing to do');
      return;
    }
    if (attempt.state === 'failed') {
      await this.announceFailure(request, attempt.reason, log);
      return;
    }
    const listed = await this.listAndRecord(source, request, log);
    if (!listed) return;
    const { page, recorded } = listed;
    this.deps.metrics?.filesListed(request.source, recorded.newFiles.length);
    const { publisher } = this.deps;
    await publisher.publishMany(filesFoundTopic, batches(recorded.newFiles).map((files) => ({ jobId, source: request.source, files })));
    const next = [
      ...recorded.newFolders.map((sub) => ({ ...request, folder: sub, cursor: null })),
      ...(page.nextCursor === null ? [] : [{ ...request, cursor: page.nextCursor }]),
    ];
    await publisher.publishMany(listRequestedTopic, next);
    await publisher.publish(listingProgressTopic, {
      jobId,
      totalFiles: recorded.newFiles.length + recorded.newSkipped,
      skippedFiles: recorded.newSkipped,
      newFolders: recorded.newFolders.length,
      folderDone: recorded.folderDone,
    });
    log.info('page listed', {
      files: recorded.newFiles.length,
      skipped: recorded.newSkipped,
      folders: recorded.newFolders.length,
      more: page.nextCursor !== null,
    });
  }

  /** Lists the page and records it; undefined when there is nothing to publish (already listed, or the folder failed). */
  private async listAndRecord(source: ImageSource, request: ListRequested, log: Logger): Promise<{ page: ListPage; recorded: RecordedPage } | undefined> {
    try {
      const page = await this.listPage(source, request, log);
      if (!page) return undefined;
      const recorded = await this.deps.listings.recordPage(request.jobId, request.folder, request.cursor, {
        files: page.files,
        folders: request.recursive ? page.folders : [],
        skipped: page.skipped,
        nextCursor: page.nextCursor,
      });
      if (recorded !== 'stale') return { page, recorded };
      log.info('page already listed; nothing to do');
      return undefined;
    } catch (error) {
      await this.attemptFailed(request, error, log);
      return undefined;
    }
  }

  /**
   * Ends an attempt that threw: a data error fails the folder at once (the same page is refused the same way every
   * time); any other error is noted and thrown for redelivery, unless it was the last allowed attempt.
   */
  private async attemptFailed(request: ListRequested, error: unknown, log: Logger): Promise<void> {
    const { jobId, folder, cursor } = request;
    if (isDataError(error)) {
      const reason = `a page could not be stored: ${errorText(error)}`;
      log.error('the page can never be stored; failing the folder', { reason });
      if (await this.deps.listings.failFolder(jobId, folder.id, cursor, reason)) await this.announceFailure(request, reason, log);
      return;
    }
    let failed: string | undefined;
    try {
      failed = await this.deps.listings.noteListingFailed(jobId, folder.id, cursor, errorText(error));
    } catch (noteError) {
      log.warn('could not note the failed attempt', { error: noteError });
    }
    if (failed === undefined) throw error;
    log.error('the page failed its last allowed attempt; failing the folder', { reason: failed });
    await this.announceFailure(request, failed, log);
  }

  /** Tells the job its listing failed (the job fails with the reason); repeated for a failed folder's redelivered request. */
  private async announceFailure(request: ListRequested, reason: string, log: Logger): Promise<void> {
    const where = request.folder.path === '' ? reason : `listing the folder "${request.folder.path}" failed: ${reason}`;
    log.warn('listing failed; failing the job', { reason: where });
    await this.deps.publisher.publish(listingFailedTopic, { jobId: request.jobId, reason: where });
  }

  /**
   * The page, or undefined when the job cannot go on. Retryable source errors propagate (the message is
   * redelivered); a subfolder that vanished since its parent was listed counts as empty.
   */
  private async listPage(source: ImageSource, request: ListRequested, log: Logger): Promise<ListPage | undefined> {
    try {
      return await source.listPage(request.folder, request.cursor);
    } catch (error) {
      if (!(error instanceof SourceError) || error.retryable) throw error;
      if (error.kind === 'not_found' && request.folder.path !== '') {
        log.warn('a subfolder is gone; counting it as empty', { reason: error.message });
        return { files: [], folders: [], skipped: [], nextCursor: null };
      }
      log.error('listing cannot go on; failing the folder', { kind: error.kind, reason: error.message });
      if (await this.deps.listings.failFolder(request.jobId, request.folder.id, request.cursor, error.message)) await this.announceFailure(request, error.message, log);
      return undefined;
    }
  }
}
