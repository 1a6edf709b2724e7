import { AbstractActor, type ActorId, type DaprClient, Temporal } from '@dapr/dapr';
import {
  BatchDoneV1,
  fileBatches,
  filesFoundTopic,
  hasEnded,
  ListingFailedV1,
  ListingProgressV1,
  listRequestedTopic,
  type SourceFile,
  type SourceKind,
  StartJobV1,
} from '@importer/contracts';
import type { JobLedgerRepository, JobSummariesRepository } from '@importer/db';
import type { Logger } from '@importer/observability';
import { readReminderPayload, reminderPayload, runReminderSafely, type TopicPublisher } from '@importer/sidecar';
import { z } from 'zod';
import { toJobSummary } from '../jobs/job-summary.mapper.js';
import type { WebhookSender } from '../webhooks/webhook.sender.js';
import type { CommandOutcome } from './import-job.answers.js';
import { type JobEvent, type JobState, looksFinished, restoredState, stalledBefore, type Transition, transition } from './import-job.state.js';
import { isDue, newDelivery, recordAttempt, reminderPeriodMs, type WebhookDelivery, type WebhookRetryPolicy } from './webhook-delivery.state.js';

export interface ImportJobDependencies {
  ledger: Pick<JobLedgerRepository, 'openRoot' | 'counts' | 'claimStalePending' | 'claimStalledFolders' | 'resetFailed'>;
  summaries: Pick<JobSummariesRepository, 'open' | 'save' | 'find' | 'findToRestore'>;
  /** Absent when no webhook secret is configured (the API then refuses webhook_url). */
  webhooks?: Pick<WebhookSender, 'deliver'>;
  webhookRetry: WebhookRetryPolicy;
  publisher: TopicPublisher;
  log: Logger;
  now: () => Date;
  watchdog: {
    /** How often the watchdog reminder fires. */
    periodMs: number;
    /** A job with no progress for this long has its pending work published again. */
    stallAfterMs: number;
    /** Files re-published per watchdog round at most. */
    republishLimit: number;
  };
}

/** The methods daprd may call on an ImportJob (`IMPORT_JOB_METHODS`), and the reminder callback. */
export interface ImportJobMethods {
  start(input: unknown): Promise<JobState>;
  listingProgress(input: unknown): Promise<JobState | undefined>;
  batchDone(input: unknown): Promise<JobState | undefined>;
  listingFailed(input: unknown): Promise<JobState | undefined>;
  cancel(): Promise<CommandOutcome>;
  retryFailed(): Promise<CommandOutcome>;
  get(): Promise<JobState | undefined>;
  receiveReminder(data: unknown): Promise<void>;
}

/** The constructor the SDK calls for each activation, as `registerActor` takes it. */
export type ImportJobActorClass = new (daprClient: DaprClient, id: ActorId) => AbstractActor & ImportJobMethods;

/** State keys and reminder names: each declared once. */
export const JOB_STATE_KEY = 'job';
export const WEBHOOK_STATE_KEY = 'webhook';
export const WATCHDOG_REMINDER = 'watchdog';
export const WEBHOOK_REMINDER = 'webhook';

/** Which reminder fired: the payload says (the SDK does not pass the reminder's name). */
const ReminderPayloadSchema = z.object({ jobId: z.string(), kind: z.enum(['watchdog', 'webhook']).default('watchdog') }).loose();

/** The job a transition left as it was, for a command that answers with it; a command to a job that does not exist throws. */
function existing(result: Exclude<Transition, { outcome: 'applied' }>): JobState {
  if (!result.state) throw new Error(result.reason);
  return result.state;
}

/**
 * Builds the ImportJob actor class around its dependencies (the SDK constructs actors itself, so they come in through
 * this closure). Every decision is `transition`'s or the webhook delivery's; the class loads, applies, saves, publishes
 * and arms reminders. The class name is the actor type: never minify it.
 */
export function importJobActor(deps: ImportJobDependencies): ImportJobActorClass {
  const { ledger, summaries, publisher, log } = deps;

  return class ImportJob extends AbstractActor implements ImportJobMethods {
    /** Opens the job in the ledger, starts listing its root folder and arms the watchdog; a repeat returns the job as it is. */
    async start(input: unknown): Promise<JobState> {
      const spec = StartJobV1.parse(input);
      const result = this.decide(await this.load(), {
        type: 'start',
        jobId: spec.jobId,
        source: spec.source,
        folderUrl: spec.folderUrl,
        recursive: spec.recursive,
        maxFiles: spec.maxFiles,
      });
      if (result.outcome !== 'applied') return existing(result);
      // The row first (the root folder references it); both are idempotent, so a start repeated after a crash in between finishes both.
      await summaries.open({
        id: spec.jobId,
        ownerId: spec.ownerId,
        source: spec.source,
        folderUrl: spec.folderUrl,
        webhookUrl: spec.webhookUrl,
        recursive: spec.recursive,
        maxFiles: spec.maxFiles,
      });
      await ledger.openRoot(spec.jobId, spec.root);
      if (spec.webhookUrl) await this.getStateManager<WebhookDelivery>().setState(WEBHOOK_STATE_KEY, newDelivery(spec.webhookUrl));
      await this.commit(result);
      await this.armWatchdog();
      await publisher.publish(listRequestedTopic, { jobId: spec.jobId, source: spec.source, folder: spec.root, cursor: null, recursive: spec.recursive });
      log.info('job started', { jobId: spec.jobId, source: spec.source });
      return result.state;
    }

    async listingProgress(input: unknown): Promise<JobState | undefined> {
      return this.progress({ type: 'listing-progress', ...ListingProgressV1.parse(input) });
    }

    async batchDone(input: unknown): Promise<JobState | undefined> {
      return this.progress({ type: 'batch-done', ...BatchDoneV1.parse(input) });
    }

    async listingFailed(input: unknown): Promise<JobState | undefined> {
      const { reason } = ListingFailedV1.parse(input);
      const result = await this.apply(await this.load(), { type: 'fail', error: reason });
      if (result.outcome === 'applied') log.warn('job failed', { jobId: result.state.jobId, reason });
      return result.state;
    }

    async cancel(): Promise<CommandOutcome> {
      const result = await this.apply(await this.load(), { type: 'cancel' });
      if (result.outcome !== 'applied') return { outcome: 'conflict', message: result.reason, job: existing(result) };
      log.info('job cancelled', { jobId: result.state.jobId });
      return { outcome: 'accepted', message: 'the job is cancelled', job: result.state };
    }

    /** Puts the failed files back to pending and sends them to transfer again. */
    async retryFailed(): Promise<CommandOutcome> {
      const result = this.decide(await this.load(), { type: 'retry-failed' });
      if (result.outcome !== 'applied') return { outcome: 'conflict', message: result.reason, job: existing(result) };
      const { jobId, source } = result.state;
      const files = await ledger.resetFailed(jobId);
      await this.commit(result);
      await this.publishFiles(jobId, source, files);
      await this.armWatchdog();
      log.info('retrying failed files', { jobId, files: files.length });
      return { outcome: 'accepted', message: `${files.length} failed files are being retried`, job: result.state };
    }

    async get(): Promise<JobState | undefined> {
      return this.load();
    }

    override async receiveReminder(data: unknown): Promise<void> {
      const jobLog = log.child({ jobId: this.jobId() });
      let kind: 'watchdog' | 'webhook' = 'watchdog';
      try {
        kind = readReminderPayload(ReminderPayloadSchema, data).kind;
      } catch (error) {
        jobLog.warn('unreadable reminder payload; running the watchdog', { error });
      }
      if (kind === 'webhook') await runReminderSafely(WEBHOOK_REMINDER, () => this.deliverWebhook(), jobLog);
      else await runReminderSafely(WATCHDOG_REMINDER, () => this.watchdog(), jobLog);
    }

    /** Counts progress, and asks the ledger once the counters say the job may be done. */
    private async progress(event: JobEvent): Promise<JobState | undefined> {
      const result = await this.apply(await this.load(), event);
      if (result.outcome !== 'applied' || !looksFinished(result.state)) return result.state;
      return (await this.reconcile(result.state)).state;
    }

    /** Replaces the counters with the ledger's exact counts, which end the job when they show nothing left. */
    private async reconcile(state: JobState | undefined): Promise<Transition> {
      const result = await this.apply(state, { type: 'reconcile', counts: await ledger.counts(this.jobId()) });
      if (result.outcome === 'applied' && result.ended) {
        const { jobId, status, totalFiles, failedFiles, bytes } = result.state;
        log.info('job finished', { jobId, status, totalFiles, failedFiles, bytes });
      }
      return result;
    }

    /** Reconciles the job with the ledger (which may end it) and re-sends work that stalled; stops for a job that has ended. */
    private async watchdog(): Promise<void> {
      const result = await this.reconcile(await this.load());
      if (result.outcome !== 'applied') return this.stopReminder(WATCHDOG_REMINDER);
      if (result.ended) return;
      const { jobId, source, recursive } = result.state;
      const olderThan = stalledBefore(result.state, deps.now().getTime(), deps.watchdog.stallAfterMs);
      if (!olderThan) return;
      const folders = await ledger.claimStalledFolders(jobId, olderThan);
      for (const { folder, cursor } of folders) await publisher.publish(listRequestedTopic, { jobId, source, folder, cursor, recursive });
      const files = await ledger.claimStalePending(jobId, olderThan, deps.watchdog.republishLimit);
      await this.publishFiles(jobId, source, files);
      if (folders.length || files.length) log.warn('re-published stalled work', { jobId, folders: folders.length, files: files.length });
    }

    /** One delivery attempt; its outcome is saved before the next is armed, so a delivered webhook is not sent again. */
    private async deliverWebhook(): Promise<void> {
      const jobId = this.jobId();
      const states = this.getStateManager<WebhookDelivery>();
      const [, delivery] = await states.tryGetState(WEBHOOK_STATE_KEY);
      if (!isDue(delivery)) return this.stopReminder(WEBHOOK_REMINDER);
      if (!deps.webhooks) {
        log.warn('webhook not sent: webhooks are not configured here', { jobId });
        return this.stopReminder(WEBHOOK_REMINDER);
      }
      const row = await summaries.find(jobId, { anyOwner: true });
      if (!row) return this.stopReminder(WEBHOOK_REMINDER);
      const outcome = await deps.webhooks.deliver(delivery.url, { jobId, ownerId: row.ownerId }, { event: 'import.job.finished', job: toJobSummary(row) });
      const result = recordAttempt(delivery, outcome, deps.webhookRetry);
      await states.setState(WEBHOOK_STATE_KEY, result.delivery);
      await states.saveState();
      const { attempts, status, lastError } = result.delivery;
      if (result.next === 'retry') {
        await this.armWebhook(result.delayMs);
        log.info('webhook will be retried', { jobId, attempts, delayMs: result.delayMs, reason: lastError });
        return;
      }
      await this.stopReminder(WEBHOOK_REMINDER);
      if (status === 'delivered') log.info('webhook delivered', { jobId, attempts });
      else log.warn('webhook given up', { jobId, attempts, reason: lastError });
    }

    /** The job has just ended: no more watchdog; its webhook, if still due, is sent by a reminder (durable, retried). */
    private async ended(): Promise<void> {
      await this.stopReminder(WATCHDOG_REMINDER);
      const [, delivery] = await this.getStateManager<WebhookDelivery>().tryGetState(WEBHOOK_STATE_KEY);
      if (isDue(delivery)) await this.armWebhook(0);
    }

    private async publishFiles(jobId: string, source: SourceKind, files: readonly SourceFile[]): Promise<void> {
      await publisher.publishMany(filesFoundTopic, fileBatches(files).map((batch) => ({ jobId, source, files: batch })));
    }

    private decide(state: JobState | undefined, event: JobEvent): Transition {
      return transition(state, event, deps.now().toISOString());
    }

    /** Saves what a transition applied, and winds the job down when it is what ended it. */
    private async commit(result: Transition): Promise<void> {
      if (result.outcome !== 'applied') return;
      await this.save(result.state);
      if (result.ended) await this.ended();
    }

    private async apply(state: JobState | undefined, event: JobEvent): Promise<Transition> {
      const result = this.decide(state, event);
      await this.commit(result);
      return result;
    }

    /** The actor's state, then the summary row the API lists jobs from. */
    private async save(state: JobState): Promise<void> {
      await this.getStateManager<JobState>().setState(JOB_STATE_KEY, state);
      const { jobId, status, totalFiles, processedFiles, failedFiles, skippedFiles, bytes, error, finishedAt } = state;
      await summaries.save({
        id: jobId,
        status,
        totalFiles,
        processedFiles,
        failedFiles,
        skippedFiles,
        bytes,
        error,
        finishedAt: finishedAt === null ? null : new Date(finishedAt),
      });
    }

    /** The actor's state; rebuilt from PostgreSQL when the state store lost it, so the job still ends. */
    private async load(): Promise<JobState | undefined> {
      const [found, state] = await this.getStateManager<JobState>().tryGetState(JOB_STATE_KEY);
      return found && state ? state : this.restore();
    }

    private async restore(): Promise<JobState | undefined> {
      const job = await summaries.findToRestore(this.jobId());
      const state = job && restoredState(job, await ledger.counts(job.id));
      if (!job || !state) return undefined;
      await this.getStateManager<JobState>().setState(JOB_STATE_KEY, state);
      // Whether a webhook of an ended job went out is not known any more: only a job still running gets its delivery back.
      if (job.webhookUrl && !hasEnded(state.status)) await this.getStateManager<WebhookDelivery>().setState(WEBHOOK_STATE_KEY, newDelivery(job.webhookUrl));
      log.warn('job state rebuilt from the database: the actor state store had lost it', { jobId: job.id, status: state.status });
      return state;
    }

    private jobId(): string {
      return this.getActorId().getId();
    }

    private async armWatchdog(): Promise<void> {
      const period = Temporal.Duration.from({ milliseconds: deps.watchdog.periodMs });
      await this.registerActorReminder(WATCHDOG_REMINDER, period, period, undefined, reminderPayload({ jobId: this.jobId(), kind: 'watchdog' }));
    }

    private async armWebhook(delayMs: number): Promise<void> {
      const due = Temporal.Duration.from({ milliseconds: Math.max(1, delayMs) });
      const period = Temporal.Duration.from({ milliseconds: reminderPeriodMs(deps.webhookRetry) });
      await this.registerActorReminder(WEBHOOK_REMINDER, due, period, undefined, reminderPayload({ jobId: this.jobId(), kind: 'webhook' }));
    }

    private async stopReminder(name: string): Promise<void> {
      try {
        await this.unregisterActorReminder(name);
      } catch (error) {
        log.warn('could not remove a reminder', { jobId: this.jobId(), reminder: name, error });
      }
    }
  };
}
