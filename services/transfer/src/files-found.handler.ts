import { acceptsWork, batchDoneTopic, currentSourceFile, type FilesFound, FilesFoundV1, imageStoredTopic, type SourceFile, type SourceKind } from '@importer/contracts';
import type { FileOutcomesRepository, JobSummariesRepository, NewImage } from '@importer/db';
import type { ImportMetrics, Logger } from '@importer/observability';
import { SourceError } from '@importer/providers';
import type { TopicPublisher } from '@importer/sidecar';
import { abortReasonText, describeDuration } from './download-deadline.js';
import type { FileTransferService, TransferJob, TransferOutcome } from './file-transfer.service.js';
import { InFlightRegistry } from './in-flight.registry.js';
import type { Semaphore } from './semaphore.js';

export interface FilesFoundDependencies {
  transfers: Pick<FileTransferService, 'transfer' | 'alreadyImported' | 'record'>;
  outcomes: Pick<FileOutcomesRepository, 'claimFiles' | 'markManyDone' | 'markFailed' | 'noteAttemptFailed' | 'failStillPending'>;
  summaries: Pick<JobSummariesRepository, 'status' | 'owner'>;
  publisher: TopicPublisher;
  /** Shared by every batch this process handles at once. */
  limiter: Semaphore;
  /** Attempts at one file before it fails for good. */
  maxAttempts: number;
  /**
   * How long one delivery may run: then what is still running is aborted and retried, so the delivery answers before
   * daprd's delivery timeout (dapr/resiliency.yaml batchDelivery) and before Redis hands it to another replica.
   */
  batchTimeoutMs: number;
  log: Logger;
  /** Counts files, bytes and failure reasons for Prometheus; none in tests that do not look. */
  metrics?: Pick<ImportMetrics, 'filesDone' | 'fileFailed' | 'fileRetried'>;
}

/** Some files of the batch are worth another attempt: the message is redelivered, and only they are redone. */
export class FilesLeftForRetry extends Error {
  override readonly name = 'FilesLeftForRetry';
}

/** What one delivery's attempt at a file came to, for a later delivery of the same file waiting on it. */
type FileDisposition = { status: 'finished' } | { status: 'retry'; reason: string };

/** The files of a delivery: those it works on itself, and those an earlier delivery is still working on. */
interface TakenFiles {
  own: SourceFile[];
  joined: { file: SourceFile; outcome: Promise<FileDisposition> }[];
  /** Ends this delivery's hold on its own files, once what it started for each has stopped. */
  release(dispositions: ReadonlyMap<string, FileDisposition>, work: ReadonlyMap<string, Promise<unknown>>, otherwise: string): void;
}

const FINISHED: FileDisposition = { status: 'finished' };

/** `work`'s outcome, or a retry with the abort's reason once `signal` aborts (the work may go on a little, aborted). */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal, aborted: (reason: string) => T): Promise<T> {
  if (signal.aborted) return Promise.resolve(aborted(abortReasonText(signal)));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => resolve(aborted(abortReasonText(signal)));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Transfers a batch of files. Every file's outcome lands in the ledger before `batch-done` counts it, and a
 * file already finished (a redelivered batch) is not touched again; one still in flight in this process (a
 * redelivery while the first delivery runs) is waited for, not started again. A delivery ends by its deadline:
 * what is still running then is aborted and counts as a retry.
 */
export class FilesFoundHandler {
  private readonly inFlight = new InFlightRegistry<FileDisposition>();

  constructor(private readonly deps: FilesFoundDependencies) {}

  async handle(received: FilesFound): Promise<void> {
    // A batch sent before the upgrade is transferred as it is meant now.
    const batch = { ...received, files: received.files.map((file) => currentSourceFile(received.source, file)) };
    const { jobId } = batch;
    const log = this.deps.log.child({ jobId });
    // Once per batch: whether the job still takes work, and whose gallery (and keys) every file of it goes into.
    const [status, ownerId] = await Promise.all([this.deps.summaries.status(jobId), this.deps.summaries.owner(jobId)]);
    if (!acceptsWork(status) || ownerId === undefined) {
      log.info('not transferring: the job has ended or does not exist', { status, files: batch.files.length });
      return;
    }
    const { batchTimeoutMs } = this.deps;
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new SourceError('transient', 'batch_timeout', `the batch took longer than ${describeDuration(batchTimeoutMs)}`)),
      batchTimeoutMs,
    );
    try {
      // No await between looking files up and taking them: another delivery cannot slip in between.
      const taken = this.take(jobId, batch.files);
      const dispositions = new Map<string, FileDisposition>();
      const work = new Map<string, Promise<unknown>>();
      let retries: string[];
      try {
        retries = await this.transferOwn(batch, { jobId, ownerId }, taken.own, deadline.signal, dispositions, work, log);
      } catch (error) {
        taken.release(dispositions, work, `the delivery that had it failed: ${error instanceof Error ? error.message : String(error)}`);
        throw error;
      }
      taken.release(dispositions, work, 'the delivery that had it ended without an outcome for it');
      retries.push(...(await this.awaitJoined(taken.joined, deadline.signal, log)));
      if (retries.length) throw new FilesLeftForRetry(`${retries.length} of ${batch.files.length} files will be retried; first: ${retries[0]}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Splits a batch into the files this delivery takes and those an earlier delivery in this process still has. */
  private take(jobId: string, files: readonly SourceFile[]): TakenFiles {
    const own: SourceFile[] = [];
    const joined: TakenFiles['joined'] = [];
    const settle = new Map<string, (disposition: FileDisposition) => void>();
    for (const file of files) {
      const key = InFlightRegistry.keyOf(jobId, file.sourceFileId);
      const running = this.inFlight.joining(key);
      if (running) {
        joined.push({ file, outcome: running });
        continue;
      }
      own.push(file);
      this.inFlight.take(key, new Promise<FileDisposition>((resolve) => settle.set(file.sourceFileId, resolve)));
    }
    return {
      own,
      joined,
      release: (dispositions, work, otherwise) => {
        for (const [id, resolve] of settle) {
          const disposition = dispositions.get(id) ?? { status: 'retry', reason: otherwise };
          // Held until the download or upload an abort left running has stopped too, so no second one starts beside it.
          const stopped = work.get(id) ?? Promise.resolve();
          stopped.then(() => resolve(disposition), () => resolve(disposition));
        }
      },
    };
  }

  /** The files an earlier delivery was working on: those it left for a retry are retried by this delivery too. */
  private async awaitJoined(joined: TakenFiles['joined'], signal: AbortSignal, log: Logger): Promise<string[]> {
    if (!joined.length) return [];
    const outcomes = await Promise.all(
      joined.map(async ({ file, outcome }) => ({
        file,
        disposition: await unlessAborted(outcome, signal, (reason): FileDisposition => ({ status: 'retry', reason: `still in flight in an earlier delivery at ${reason}` })),
      })),
    );
    const retries = outcomes.flatMap(({ file, disposition }) => (disposition.status === 'retry' ? [`${file.sourceFileId}: ${disposition.reason}`] : []));
    log.info('waited for files an earlier delivery had in flight', { files: joined.length, retry: retries.length });
    return retries;
  }

  /** Claims, transfers and records this delivery's own files; returns those left for a retry, each with its reason. */
  private async transferOwn(
    batch: FilesFound,
    job: TransferJob,
    files: readonly SourceFile[],
    signal: AbortSignal,
    dispositions: Map<string, FileDisposition>,
    work: Map<string, Promise<unknown>>,
    log: Logger,
  ): Promise<string[]> {
    const { jobId } = batch;
    const attempts = files.length ? await this.deps.outcomes.claimFiles(jobId, files.map((f) => f.sourceFileId)) : new Map<string, number>();
    for (const file of files) if (!attempts.has(file.sourceFileId)) dispositions.set(file.sourceFileId, FINISHED);
    const pending = files.filter((f) => attempts.has(f.sourceFileId));
    const existing = await this.deps.transfers.alreadyImported(job.ownerId, batch.source, pending);
    const results = await Promise.all(
      pending.map(async (file) => {
        const running = this.deps.limiter.run(
          (): Promise<TransferOutcome> =>
            signal.aborted
              ? Promise.resolve({ status: 'retry', reason: abortReasonText(signal) })
              : this.deps.transfers.transfer(job, batch.source, file, existing.get(file.sourceFileId), signal),
        );
        work.set(file.sourceFileId, running);
        return { file, outcome: await unlessAborted(running, signal, (reason): TransferOutcome => ({ status: 'retry', reason })) };
      }),
    );

    const recorded = await this.record(results.flatMap(({ outcome }) => (outcome.status === 'copied' ? [outcome.image] : [])));
    const succeeded = [
      ...results.flatMap(({ file, outcome }) => (outcome.status === 'unchanged' ? [{ sourceFileId: file.sourceFileId, imageId: outcome.imageId, size: outcome.bytes }] : [])),
      ...recorded.map((image) => ({ sourceFileId: image.sourceFileId, imageId: image.id, size: image.size })),
    ];
    const marked = await this.deps.outcomes.markManyDone(jobId, succeeded);
    for (const file of succeeded) dispositions.set(file.sourceFileId, FINISHED);
    const processedFiles = marked.size;
    const bytes = succeeded.filter((f) => marked.has(f.sourceFileId)).reduce((sum, f) => sum + f.size, 0);
    this.deps.metrics?.filesDone(batch.source, processedFiles, bytes);
    for (const file of succeeded) if (marked.has(file.sourceFileId)) log.debug('file done', { fileId: file.sourceFileId, bytes: file.size });
    let failedFiles = 0;
    const retries: string[] = [];
    for (const { file, outcome } of results) {
      if (outcome.status === 'unchanged' || outcome.status === 'copied') continue;
      const fileLog = log.child({ fileId: file.sourceFileId });
      const attempt = attempts.get(file.sourceFileId) ?? 1;
      if (outcome.status === 'failed' || attempt >= this.deps.maxAttempts) {
        const reason = outcome.status === 'failed' ? outcome.reason : `${outcome.reason} (gave up after ${attempt} attempts)`;
        if (await this.deps.outcomes.markFailed(jobId, file.sourceFileId, reason)) {
          failedFiles++;
          this.deps.metrics?.fileFailed(batch.source, reason);
        }
        dispositions.set(file.sourceFileId, FINISHED);
        fileLog.warn('file failed', { reason });
      } else {
        await this.deps.outcomes.noteAttemptFailed(jobId, file.sourceFileId, outcome.reason);
        dispositions.set(file.sourceFileId, { status: 'retry', reason: outcome.reason });
        retries.push(`${file.sourceFileId}: ${outcome.reason}`);
        this.deps.metrics?.fileRetried(batch.source, outcome.reason);
        fileLog.info('file will be retried', { attempt, reason: outcome.reason });
      }
    }
    await this.announceStored(batch.source, recorded, log);
    if (processedFiles + failedFiles > 0) await this.deps.publisher.publish(batchDoneTopic, { jobId, processedFiles, failedFiles, skippedFiles: 0, bytes });
    log.info('batch transferred', {
      files: batch.files.length,
      done: processedFiles,
      failed: failedFiles,
      retry: retries.length,
      alreadyFinished: files.length - pending.length,
      inFlightElsewhere: batch.files.length - files.length,
    });
    return retries;
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
    const failedFiles = await this.deps.outcomes.failStillPending(
      jobId,
      files.map((f) => f.sourceFileId),
      reason,
    );
    if (failedFiles > 0) await this.deps.publisher.publish(batchDoneTopic, { jobId, processedFiles: 0, failedFiles, skippedFiles: 0, bytes: 0 });
    if (failedFiles > 0) this.deps.metrics?.fileFailed(parsed.data.source, reason, failedFiles);
    this.deps.log.warn('dead-lettered batch recorded as failures', { jobId, failed: failedFiles });
  }
}
