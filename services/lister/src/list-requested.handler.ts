import {
  FILES_PER_BATCH,
  filesFoundTopic,
  listingFailedTopic,
  listingProgressTopic,
  type ListRequested,
  listRequestedTopic,
  type SourceFile,
  type SourceKind,
} from '@importer/contracts';
import type { ImportLedger, JobSummaries } from '@importer/db';
import type { ImportMetrics, Logger } from '@importer/observability';
import { type ImageSource, type ListPage, SourceError } from '@importer/providers';
import type { TopicPublisher } from '@importer/sidecar';

export interface ListRequestedDependencies {
  sources: Partial<Record<SourceKind, ImageSource>>;
  ledger: Pick<ImportLedger, 'recordPage'>;
  summaries: Pick<JobSummaries, 'status'>;
  publisher: TopicPublisher;
  log: Logger;
  /** Counts the files listed for Prometheus; none in tests that do not look. */
  metrics?: Pick<ImportMetrics, 'filesListed'>;
}

const ENDED = new Set(['cancelled', 'failed', 'completed', 'completed_with_errors']);

function batches(files: readonly SourceFile[]): SourceFile[][] {
  const out: SourceFile[][] = [];
  for (let i = 0; i < files.length; i += FILES_PER_BATCH) out.push(files.slice(i, i + FILES_PER_BATCH));
  return out;
}

/**
 * Lists one page of one folder. The page lands in the ledger in one transaction, and only what is new there is
 * published, so a redelivered request does nothing twice; a crash between the two is repaired by the job's watchdog,
 * which re-sends from the ledger what was recorded but never published.
 */
export class ListRequestedHandler {
  constructor(private readonly deps: ListRequestedDependencies) {}

  async handle(request: ListRequested): Promise<void> {
    const { jobId, folder, cursor } = request;
    const log = this.deps.log.child({ jobId, folderId: folder.id, cursor });
    const status = await this.deps.summaries.status(jobId);
    if (status === undefined || ENDED.has(status)) {
      log.info('not listing: the job has ended or does not exist', { status });
      return;
    }
    const source = this.deps.sources[request.source];
    if (!source) throw new Error(`no ${request.source} source is configured in this lister`);

    const page = await this.listPage(source, request, log);
    if (!page) return;
    const recorded = await this.deps.ledger.recordPage(jobId, folder, cursor, {
      files: page.files,
      folders: request.recursive ? page.folders : [],
      skipped: page.skipped,
      nextCursor: page.nextCursor,
    });
    if (recorded === 'stale') {
      log.info('page already listed; nothing to do');
      return;
    }
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
      found: recorded.newFiles.length + recorded.newSkipped,
      skipped: recorded.newSkipped,
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
      log.error('listing cannot go on; failing the job', { kind: error.kind, reason: error.message });
      await this.deps.publisher.publish(listingFailedTopic, { jobId: request.jobId, reason: error.message });
      return undefined;
    }
  }
}
