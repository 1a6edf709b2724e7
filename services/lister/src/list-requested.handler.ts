import {
  acceptsWork,
  currentFolderRef,
  fileBatches,
  filesFoundTopic,
  listingFailedTopic,
  listingProgressTopic,
  type ListRequested,
  listRequestedTopic,
  type SourceKind,
} from '@importer/contracts';
import { type FolderListingsRepository, isDataError, type JobSummariesRepository, type LeaseKeeper, leaseName, type RecordedPage, retryDelayMs, type WorkLease } from '@importer/db';
import type { ImportMetrics, Logger } from '@importer/observability';
import { type ImageSource, type ListPage, SourceError } from '@importer/providers';
import { DrainingWork, type TopicPublisher } from '@importer/sidecar';

export interface ListRequestedDependencies {
  sources: Partial<Record<SourceKind, ImageSource>>;
  listings: Pick<FolderListingsRepository, 'beginListing' | 'recordPage' | 'noteListingFailed' | 'failFolder' | 'handBack'>;
  summaries: Pick<JobSummariesRepository, 'status'>;
  publisher: TopicPublisher;
  /** The name and time to live this replica claims a folder's page under. */
  lease: WorkLease;
  /** Renews this replica's leases while it lists. */
  leases: Pick<LeaseKeeper, 'hold' | 'release'>;
  log: Logger;
  /** Counts the files listed for Prometheus; none in tests that do not look. */
  metrics?: Pick<ImportMetrics, 'filesListed'>;
}

/** What an error says, for a person reading the job's reason. */
function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Lists one page of one folder. The page lands in the ledger in one transaction, and only what is new there is
 * published, so a redelivered request does nothing twice; a crash between the two is repaired by the job's watchdog,
 * which re-sends from the ledger what was recorded but never published. Each attempt is counted in the ledger before
 * it starts, under this replica's lease (a dead lister's page comes back through the api's reaper); a failed attempt
 * becomes a retry due later in the ledger, and a page that can never be stored (a data error) or keeps failing fails
 * its folder and the job, so no request is re-sent forever.
 */
export class ListRequestedHandler {
  private readonly work = new DrainingWork();

  constructor(private readonly deps: ListRequestedDependencies) {}

  /** Stops taking pages: one asked for from now on is handed back; one being listed may finish for `graceMs`. */
  async drain(graceMs: number): Promise<void> {
    await this.work.drain(graceMs, new Error('the lister is shutting down'));
  }

  async handle(received: ListRequested): Promise<void> {
    await this.work.track(() => this.list(received));
  }

  private async list(received: ListRequested): Promise<void> {
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
    if (this.work.draining) {
      await this.deps.listings.handBack(jobId, folder.id, cursor, this.deps.lease.holder);
      log.info('shutting down: page handed back');
      return;
    }

    const attempt = await this.deps.listings.beginListing(jobId, folder.id, cursor, this.deps.lease);
    if (attempt.state === 'stale' || attempt.state === 'held') {
      log.info(attempt.state === 'held' ? 'another lister is on this page; nothing to do' : 'page already listed; nothing to do');
      return;
    }
    if (attempt.state === 'failed') {
      await this.announceFailure(request, attempt.reason, log);
      return;
    }
    const lease = leaseName(jobId, folder.id);
    this.deps.leases.hold(lease);
    let listed: Awaited<ReturnType<typeof this.listAndRecord>>;
    try {
      listed = await this.listAndRecord(source, request, attempt.attempt, log);
    } finally {
      this.deps.leases.release(lease);
    }
    if (!listed) return;
    const { page, recorded } = listed;
    this.deps.metrics?.filesListed(request.source, recorded.newFiles.length);
    const { publisher } = this.deps;
    await publisher.publishMany(filesFoundTopic, fileBatches(recorded.newFiles).map((files) => ({ jobId, source: request.source, files })));
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
  private async listAndRecord(source: ImageSource, request: ListRequested, attempt: number, log: Logger): Promise<{ page: ListPage; recorded: RecordedPage } | undefined> {
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
      await this.attemptFailed(request, attempt, error, log);
      return undefined;
    }
  }

  /**
   * Ends an attempt that threw: a data error fails the folder at once (the same page is refused the same way every
   * time); any other error is noted as a retry due later, unless it was the last allowed attempt. Only when even the
   * note cannot be written is the error thrown, for the broker to deliver the request again.
   */
  private async attemptFailed(request: ListRequested, attempt: number, error: unknown, log: Logger): Promise<void> {
    const { jobId, folder, cursor } = request;
    if (isDataError(error)) {
      const reason = `a page could not be stored: ${errorText(error)}`;
      log.error('the page can never be stored; failing the folder', { reason });
      if (await this.deps.listings.failFolder(jobId, folder.id, cursor, reason)) await this.announceFailure(request, reason, log);
      return;
    }
    let failed: string | undefined;
    try {
      failed = await this.deps.listings.noteListingFailed(jobId, folder.id, cursor, errorText(error), retryDelayMs(attempt));
    } catch (noteError) {
      log.warn('could not note the failed attempt', { error: noteError });
      throw error;
    }
    if (failed === undefined) {
      log.warn('listing the page failed; it is retried later', { attempt, reason: errorText(error) });
      return;
    }
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
