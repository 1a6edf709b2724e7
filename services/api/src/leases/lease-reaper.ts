import { fileBatches, filesFoundTopic, listRequestedTopic } from '@importer/contracts';
import type { ExpiredLeasesRepository } from '@importer/db';
import type { Logger } from '@importer/observability';
import type { TopicPublisher } from '@importer/sidecar';

export interface LeaseReaperDependencies {
  expired: Pick<ExpiredLeasesRepository, 'reapFiles' | 'reapFolders'>;
  publisher: TopicPublisher;
  /** How often the ledger is asked for expired leases: with a 15 s lease, a dead replica's work is back within ~17 s. */
  intervalMs: number;
  /** Files (and folders) taken back per round at most; a larger backlog takes the next rounds. */
  limit: number;
  log: Logger;
}

/**
 * Sends again the work whose lease ran out: the files and pages a dead (or frozen) replica held, and retries now due.
 * Every api replica runs one; the ledger hands each expired lease to one of them, and what a round took but could
 * not publish stays expired for the next.
 */
export class LeaseReaper {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;

  constructor(private readonly deps: LeaseReaperDependencies) {}

  start(): void {
    this.timer ??= setInterval(() => {
      this.round ??= this.reapOnce().then(
        () => undefined,
        () => undefined,
      ).finally(() => (this.round = undefined));
    }, this.deps.intervalMs);
  }

  /** Stops the rounds and waits for one in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.round;
  }

  /** One round: files, then folders; a failure is logged and the next round tries again. */
  async reapOnce(): Promise<{ files: number; folders: number }> {
    const { expired, publisher, limit, log } = this.deps;
    let files = 0;
    let folders = 0;
    try {
      files = await expired.reapFiles(limit, async (jobs) => {
        await publisher.publishMany(filesFoundTopic, jobs.flatMap(({ jobId, source, files: due }) => fileBatches(due).map((batch) => ({ jobId, source, files: batch }))));
      });
      folders = await expired.reapFolders(limit, async (pages) => {
        await publisher.publishMany(listRequestedTopic, pages);
      });
    } catch (error) {
      log.warn('could not send expired leases again; the next round tries', { error });
    }
    if (files || folders) log.info('sent expired leases again', { files, folders });
    return { files, folders };
  }
}
