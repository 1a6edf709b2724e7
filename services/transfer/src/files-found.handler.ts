import { batchDoneTopic, type FilesFound, FilesFoundV1, imageStoredTopic, type SourceKind } from '@importer/contracts';
import type { ImportLedger, JobSummaries, NewImage } from '@importer/db';
import type { ImportMetrics, Logger } from '@importer/observability';
import type { TopicPublisher } from '@importer/sidecar';
import type { FileTransferService } from './file-transfer.service.js';
import type { Semaphore } from './semaphore.js';

export interface FilesFoundDependencies {
  transfers: Pick<FileTransferService, 'transfer' | 'alreadyImported' | 'record'>;
  ledger: Pick<ImportLedger, 'claimFiles' | 'markManyDone' | 'markFailed' | 'noteAttemptFailed' | 'failStillPending'>;
  summaries: Pick<JobSummaries, 'status'>;
  publisher: TopicPublisher;
  /** Shared by every batch this process handles at once. */
  limiter: Semaphore;
  /** Attempts at one file before it fails for good. */
  maxAttempts: number;
  log: Logger;
  /** Counts files, bytes and failure reasons for Prometheus; none in tests that do not look. */
  metrics?: Pick<ImportMetrics, 'filesDone' | 'fileFailed' | 'fileRetried'>;
}

/** Some files of the batch are worth another attempt: the message is redelivered, and only they are redone. */
export class FilesLeftForRetry extends Error {
  override readonly name = 'FilesLeftForRetry';
}

const ENDED = new Set(['cancelled', 'failed']);

/**
 * Transfers a batch of files. Every file's outcome lands in the ledger before `batch-done` counts it, and a
 * file already finished (a redelivered batch) is not touched again.
 */
export class FilesFoundHandler {
  constructor(private readonly deps: FilesFoundDependencies) {}

  async handle(batch: FilesFound): Promise<void> {
    const { jobId } = batch;
    const log = this.deps.log.child({ jobId });
    const status = await this.deps.summaries.status(jobId);
    if (status === undefined || ENDED.has(status)) {
      log.info('not transferring: the job has ended or does not exist', { status, files: batch.files.length });
      return;
    }
    const attempts = await this.deps.ledger.claimFiles(jobId, batch.files.map((f) => f.sourceFileId));
    const pending = batch.files.filter((f) => attempts.has(f.sourceFileId));
    const existing = await this.deps.transfers.alreadyImported(batch.source, pending);
    const results = await Promise.all(
      pending.map((file) =>
        this.deps.limiter.run(async () => ({ file, outcome: await this.deps.transfers.transfer(jobId, batch.source, file, existing.get(file.sourceFileId)) })),
      ),
    );

    const recorded = await this.record(results.flatMap(({ outcome }) => (outcome.status === 'copied' ? [outcome.image] : [])));
    const succeeded = [
      ...results.flatMap(({ file, outcome }) => (outcome.status === 'unchanged' ? [{ sourceFileId: file.sourceFileId, imageId: outcome.imageId, size: outcome.bytes }] : [])),
      ...recorded.map((image) => ({ sourceFileId: image.sourceFileId, imageId: image.id, size: image.size })),
    ];
    const marked = await this.deps.ledger.markManyDone(jobId, succeeded);
    const done = marked.size;
    const bytes = succeeded.filter((f) => marked.has(f.sourceFileId)).reduce((sum, f) => sum + f.size, 0);
    this.deps.metrics?.filesDone(batch.source, done, bytes);
    for (const file of succeeded) if (marked.has(file.sourceFileId)) log.debug('file done', { fileId: file.sourceFileId, bytes: file.size });
    let failed = 0;
    const retries: string[] = [];
    for (const { file, outcome } of results) {
      if (outcome.status === 'unchanged' || outcome.status === 'copied') continue;
      const fileLog = log.child({ fileId: file.sourceFileId });
      const attempt = attempts.get(file.sourceFileId) ?? 1;
      if (outcome.status === 'failed' || attempt >= this.deps.maxAttempts) {
        const reason = outcome.status === 'failed' ? outcome.reason : `${outcome.reason} (gave up after ${attempt} attempts)`;
        if (await this.deps.ledger.markFailed(jobId, file.sourceFileId, reason)) {
          failed++;
          this.deps.metrics?.fileFailed(batch.source, reason);
        }
        fileLog.warn('file failed', { reason });
      } else {
        await this.deps.ledger.noteAttemptFailed(jobId, file.sourceFileId, outcome.reason);
        retries.push(`${file.sourceFileId}: ${outcome.reason}`);
        this.deps.metrics?.fileRetried(batch.source, outcome.reason);
        fileLog.info('file will be retried', { attempt, reason: outcome.reason });
      }
    }
    await this.announceStored(batch.source, recorded, log);
    if (done + failed > 0) await this.deps.publisher.publish(batchDoneTopic, { jobId, done, failed, skipped: 0, bytes });
    log.info('batch transferred', { files: batch.files.length, done, failed, retry: retries.length, alreadyFinished: batch.files.length - pending.length });
    if (retries.length) throw new FilesLeftForRetry(`${retries.length} of ${batch.files.length} files will be retried; first: ${retries[0]}`);
  }

  /** The rows of the batch's copied files, written at once, each with the id its row has (an earlier import's, for a changed file). */
  private async record(copied: readonly NewImage[]): Promise<NewImage[]> {
    const ids = await this.deps.transfers.record(copied);
    return copied.map((image) => {
      const id = ids.get(image.sourceFileId);
      if (id === undefined) throw new Error(`no image row was written for ${image.sourceFileId}`);
      return { ...image, id };
    });
  }

  /** Newly stored images go to the preview maker; a lost announcement only leaves the original as the thumbnail. */
  private async announceStored(source: SourceKind, recorded: readonly NewImage[], log: Logger): Promise<void> {
    if (!recorded.length) return;
    const stored = recorded.map((image) => ({ imageId: image.id, source, storagePath: image.storagePath, mimeType: image.mimeType, size: image.size }));
    // One bulk request per batch: a publish per image cost the hot path a sidecar call each.
    try {
      await this.deps.publisher.publishMany(imageStoredTopic, stored);
    } catch (error) {
      log.warn('some images will have no preview: image-stored was not published', { images: stored.length, error });
    }
  }

  /** A batch that failed every delivery: what is still pending in it fails, with the last reason recorded. */
  async deadLetter(message: unknown): Promise<void> {
    const parsed = FilesFoundV1.safeParse(message);
    if (!parsed.success) {
      this.deps.log.error('an unreadable files-found message was dead-lettered', { message });
      return;
    }
    const { jobId, files } = parsed.data;
    const reason = 'delivery_failed: the batch failed every delivery attempt';
    const failed = await this.deps.ledger.failStillPending(
      jobId,
      files.map((f) => f.sourceFileId),
      reason,
    );
    if (failed > 0) await this.deps.publisher.publish(batchDoneTopic, { jobId, done: 0, failed, skipped: 0, bytes: 0 });
    if (failed > 0) this.deps.metrics?.fileFailed(parsed.data.source, reason, failed);
    this.deps.log.warn('dead-lettered batch recorded as failures', { jobId, failed });
  }
}
