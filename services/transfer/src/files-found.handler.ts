import { acceptsWork, batchDoneTopic, currentSourceFile, type FilesFound, FilesFoundV1, imageStoredTopic, type SourceKind } from '@importer/contracts';
import { type FileOutcomesRepository, type JobSummariesRepository, type LeaseKeeper, LeaseLost, leaseName, type NewImage, retryDelayMs, type WorkLease } from '@importer/db';
import type { ImportMetrics, Logger } from '@importer/observability';
import { SourceError } from '@importer/providers';
import { DrainingWork, type TopicPublisher } from '@importer/sidecar';
import { abortReasonText, describeDuration } from './download-deadline.js';
import type { FileTransferService, TransferJob, TransferOutcome } from './file-transfer.service.js';
import type { Semaphore } from './semaphore.js';

export interface FilesFoundDependencies {
  transfers: Pick<FileTransferService, 'transfer' | 'alreadyImported' | 'record'>;
  outcomes: Pick<FileOutcomesRepository, 'claimFiles' | 'markManyDone' | 'markFailed' | 'scheduleRetry' | 'handBack'>;
  summaries: Pick<JobSummariesRepository, 'status' | 'owner'>;
  publisher: TopicPublisher;
  /** Shared by every batch this process handles at once. */
  limiter: Semaphore;
  /** Attempts at one file before it fails for good. */
  maxAttempts: number;
  /** How long one delivery may run: then what is still running is aborted and retried later. */
  batchTimeoutMs: number;
  /** The name and time to live this replica claims files under. */
  lease: WorkLease;
  /** Renews this replica's leases, and aborts the work of any it lost. */
  leases: Pick<LeaseKeeper, 'hold' | 'release'>;
  /** How long aborted work may take to stop before its file is let go anyway (so a hung download cannot hold it forever). */
  abortSettleMs?: number;
  log: Logger;
  /** Counts files, bytes and failure reasons for Prometheus; none in tests that do not look. */
  metrics?: Pick<ImportMetrics, 'filesDone' | 'fileFailed' | 'fileRetried'>;
}

/** The abort reason of work cut short because this replica is shutting down. */
const shuttingDown = () => new SourceError('transient', 'shutting_down', 'the transfer replica is shutting down; another one takes the file');

/** `work`'s outcome, or a retry with the abort's reason once `signal` aborts (the work may go on a little, aborted). */
function unlessAborted(work: Promise<TransferOutcome>, signal: AbortSignal): Promise<TransferOutcome> {
  if (signal.aborted) return Promise.resolve({ status: 'retry', reason: abortReasonText(signal) });
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve({ status: 'retry', reason: abortReasonText(signal) });
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** One claimed file in flight: its work, its lease's signal, and what the work came to. */
interface ClaimedFile {
  sourceFileId: string;
  attempt: number;
  lease: AbortSignal;
  work: Promise<TransferOutcome>;
  outcome: TransferOutcome;
}

/**
 * Transfers a batch of files. Each file is claimed in the ledger under this replica's lease (the attempt counted
 * first), so a second delivery of the batch, here or on another replica, skips what a live holder has, and a dead
 * holder's files come back through the api's reaper. Every outcome lands in the ledger before `batch-done` counts
 * it; a file to retry becomes a retry due later in the ledger, so the message is always acknowledged.
 */
export class FilesFoundHandler {
  private readonly work = new DrainingWork();

  constructor(private readonly deps: FilesFoundDependencies) {}

  /** True once `drain` began: this replica takes no new work. */
  get draining(): boolean {
    return this.work.draining;
  }

  async handle(received: FilesFound): Promise<void> {
    await this.work.track(() => this.deliver(received));
  }

  /**
   * Stops taking work: a batch delivered from now on is handed back at once, what runs may finish for `graceMs`, then
   * it is aborted and handed back.
   */
  async drain(graceMs: number): Promise<void> {
    await this.work.drain(graceMs, shuttingDown());
  }

  private async deliver(received: FilesFound): Promise<void> {
    // A batch sent before the upgrade is transferred as it is meant now.
    const batch = { ...received, files: received.files.map((file) => currentSourceFile(received.source, file)) };
    const { jobId } = batch;
    const log = this.deps.log.child({ jobId });
    const ids = batch.files.map((f) => f.sourceFileId);
    if (this.work.draining) {
      const handed = await this.deps.outcomes.handBack(jobId, ids, this.deps.lease.holder);
      log.info('shutting down: batch handed back', { files: ids.length, handedBack: handed });
      return;
    }
    // Once per batch: whether the job still takes work, and whose gallery (and keys) every file of it goes into.
    const [status, ownerId] = await Promise.all([this.deps.summaries.status(jobId), this.deps.summaries.owner(jobId)]);
    if (!acceptsWork(status) || ownerId === undefined) {
      log.info('not transferring: the job has ended or does not exist', { status, files: ids.length });
      return;
    }
    const { claimed, exhausted } = await this.deps.outcomes.claimFiles(jobId, ids, this.deps.lease, this.deps.maxAttempts);
    for (const [id, reason] of exhausted) log.warn('file failed: its attempts are used up', { fileId: id, reason });
    if (exhausted.size) this.deps.metrics?.fileFailed(batch.source, 'attempts_used_up', exhausted.size);
    const files = batch.files.filter((f) => claimed.has(f.sourceFileId));
    const names = files.map((f) => leaseName(jobId, f.sourceFileId));
    const leases = names.map((name) => this.deps.leases.hold(name));
    const { batchTimeoutMs } = this.deps;
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new SourceError('transient', 'batch_timeout', `the batch took longer than ${describeDuration(batchTimeoutMs)}`)),
      batchTimeoutMs,
    );
    let handedOff = false;
    try {
      const job: TransferJob = { jobId, ownerId };
      const existing = await this.deps.transfers.alreadyImported(ownerId, batch.source, files);
      const inFlight = await Promise.all(
        files.map(async (file, i): Promise<ClaimedFile> => {
          const lease = leases[i] as AbortSignal;
          const signal = AbortSignal.any([deadline.signal, lease, this.work.signal]);
          const work = this.deps.limiter.run(
            (): Promise<TransferOutcome> =>
              signal.aborted
                ? Promise.resolve({ status: 'retry', reason: abortReasonText(signal) })
                : this.deps.transfers.transfer(job, batch.source, file, existing.get(file.sourceFileId), signal),
          );
          return { sourceFileId: file.sourceFileId, attempt: claimed.get(file.sourceFileId) ?? 1, lease, work, outcome: await unlessAborted(work, signal) };
        }),
      );
      const nameOf = new Map(files.map((f, i) => [f.sourceFileId, names[i] as string]));
      await this.settle(batch.source, jobId, inFlight, exhausted.size, (id) => this.deps.leases.release(nameOf.get(id) ?? ''), log);
      handedOff = true;
      // A file whose aborted work still runs keeps its lease until the work stops, so no second copy starts beside it.
      for (const file of inFlight) if (file.outcome.status === 'retry') this.letGoWhenStopped(jobId, file, nameOf.get(file.sourceFileId) ?? '', log);
    } finally {
      clearTimeout(timer);
      if (!handedOff) for (const name of names) this.deps.leases.release(name);
    }
  }

  /**
   * Records every outcome of the batch in the ledger and counts them in `batch-done`; a file's lease stops being
   * renewed (`finished`) once the ledger has its outcome, so a renewal cannot find it gone and call it lost.
   */
  private async settle(source: SourceKind, jobId: string, files: readonly ClaimedFile[], exhausted: number, finished: (sourceFileId: string) => void, log: Logger): Promise<void> {
    const recorded = await this.record(files.flatMap(({ outcome }) => (outcome.status === 'copied' ? [outcome.image] : [])));
    const succeeded = [
      ...files.flatMap(({ sourceFileId, outcome }) => (outcome.status === 'unchanged' ? [{ sourceFileId, imageId: outcome.imageId, size: outcome.bytes }] : [])),
      ...recorded.map((image) => ({ sourceFileId: image.sourceFileId, imageId: image.id, size: image.size })),
    ];
    const marked = await this.deps.outcomes.markManyDone(jobId, succeeded);
    for (const file of succeeded) finished(file.sourceFileId);
    const processedFiles = marked.size;
    const bytes = succeeded.filter((f) => marked.has(f.sourceFileId)).reduce((sum, f) => sum + f.size, 0);
    this.deps.metrics?.filesDone(source, processedFiles, bytes);
    for (const file of succeeded) if (marked.has(file.sourceFileId)) log.debug('file done', { fileId: file.sourceFileId, bytes: file.size });
    let failedFiles = exhausted;
    let retries = 0;
    for (const file of files) {
      const { outcome, attempt } = file;
      if (outcome.status === 'unchanged' || outcome.status === 'copied') continue;
      const fileLog = log.child({ fileId: file.sourceFileId });
      // Another replica holds the file now: what becomes of it is that replica's to record.
      if (file.lease.aborted && file.lease.reason instanceof LeaseLost) continue;
      if (outcome.status === 'failed' || attempt >= this.deps.maxAttempts) {
        const reason = outcome.status === 'failed' ? outcome.reason : `${outcome.reason} (gave up after ${attempt} attempts)`;
        if (await this.deps.outcomes.markFailed(jobId, file.sourceFileId, reason)) {
          failedFiles++;
          this.deps.metrics?.fileFailed(source, reason);
        }
        finished(file.sourceFileId);
        fileLog.warn('file failed', { reason });
      } else {
        retries++;
        this.deps.metrics?.fileRetried(source, outcome.reason);
        fileLog.info('file will be retried', { attempt, reason: outcome.reason });
      }
    }
    await this.announceStored(source, recorded, log);
    if (processedFiles + failedFiles > 0) await this.deps.publisher.publish(batchDoneTopic, { jobId, processedFiles, failedFiles, skippedFiles: 0, bytes });
    log.info('batch transferred', { claimed: files.length, done: processedFiles, failed: failedFiles, retry: retries });
  }

  /**
   * Ends this replica's hold on a file once its work has stopped: a retry becomes due in the ledger (handed back at
   * once when the replica is shutting down), and the lease stops being renewed.
   */
  private letGoWhenStopped(jobId: string, file: ClaimedFile, name: string, log: Logger): void {
    const { outcome } = file;
    const release = () => this.deps.leases.release(name);
    const lost = file.lease.aborted && file.lease.reason instanceof LeaseLost;
    if (outcome.status !== 'retry' || file.attempt >= this.deps.maxAttempts || lost) return release();
    const stopped = Promise.race([file.work.then(() => undefined, () => undefined), new Promise<void>((resolve) => setTimeout(resolve, this.deps.abortSettleMs ?? 30_000).unref())]);
    void stopped
      .then(async () => {
        if (this.work.signal.aborted) await this.deps.outcomes.handBack(jobId, [file.sourceFileId], this.deps.lease.holder);
        else await this.deps.outcomes.scheduleRetry(jobId, file.sourceFileId, this.deps.lease.holder, outcome.reason, retryDelayMs(file.attempt));
      })
      // The lease then runs out by itself, and the reaper sends the file again all the same.
      .catch((error: unknown) => log.warn('could not schedule a retry; the lease will expire instead', { fileId: file.sourceFileId, error }))
      .finally(release);
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

  /**
   * A batch that failed every delivery (the database or the sidecar was away that long): its files still pending and
   * unheld are made due, so the reaper sends them again once things are back. A file that fails that way every time
   * still ends: each claim counts an attempt, and the one after the last fails it.
   */
  async deadLetter(message: unknown): Promise<void> {
    const parsed = FilesFoundV1.safeParse(message);
    if (!parsed.success) {
      this.deps.log.error('an unreadable files-found message was dead-lettered', { message });
      return;
    }
    const { jobId, files } = parsed.data;
    const due = await this.deps.outcomes.handBack(
      jobId,
      files.map((f) => f.sourceFileId),
      this.deps.lease.holder,
    );
    this.deps.log.warn('a batch failed every delivery; its pending files are sent again by the reaper', { jobId, files: files.length, due });
  }
}
