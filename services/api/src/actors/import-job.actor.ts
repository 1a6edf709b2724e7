import { AbstractActor, type ActorId, type DaprClient, Temporal } from '@dapr/dapr';
import {
  BatchDoneV1,
  FILES_PER_BATCH,
  filesFoundTopic,
  ListingFailedV1,
  ListingProgressV1,
  listRequestedTopic,
  type SourceFile,
  type SourceKind,
  StartJobV1,
} from '@importer/contracts';
import type { ImportLedger, JobSummaries } from '@importer/db';
import type { Logger } from '@importer/observability';
import { readReminderPayload, reminderPayload, runReminderSafely, type TopicPublisher } from '@importer/sidecar';
import { z } from 'zod';
import { toJobSummary } from '../jobs/job-summary.mapper.js';
import type { WebhookSender } from '../webhooks/webhook.sender.js';
import { complete, isTerminal, type JobEvent, type JobState, transition } from './import-job.state.js';

export interface ImportJobDependencies {
  ledger: Pick<ImportLedger, 'openJob' | 'counts' | 'claimStalePending' | 'claimStalledFolders' | 'resetFailed'>;
  summaries: Pick<JobSummaries, 'save' | 'find'>;
  /** Absent when no webhook secret is configured (the API then refuses webhook_url). */
  webhooks?: Pick<WebhookSender, 'deliver'>;
  webhookRetry: {
    /** Wait before the first retry; doubled for each next one, up to `maxDelayMs`. */
    baseDelayMs: number;
    maxDelayMs: number;
    /** Attempts in all before the delivery is given up. */
    maxAttempts: number;
  };
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

/** What a command did: `conflict` when the job's status does not allow it, with why. */
export interface CommandOutcome {
  outcome: 'accepted' | 'conflict';
  message: string;
  job: JobState;
}

const STATE_KEY = 'job';
const WEBHOOK_STATE_KEY = 'webhook';
const WATCHDOG_REMINDER = 'watchdog';
const WEBHOOK_REMINDER = 'webhook';

/** The job's webhook, in its own state key so the job's state machine stays as it is. */
interface WebhookState {
  url: string;
  attempts: number;
  /** `pending` until delivered, or given up after the last attempt (or a final refusal). */
  status: 'pending' | 'delivered' | 'given_up';
  lastError: string | null;
}

/** Which reminder fired: the payload says (the SDK does not pass the reminder's name). */
const ReminderPayloadSchema = z.object({ jobId: z.string(), kind: z.enum(['watchdog', 'webhook']).default('watchdog') }).loose();

function batches(files: readonly SourceFile[]): SourceFile[][] {
  const out: SourceFile[][] = [];
  for (let i = 0; i < files.length; i += FILES_PER_BATCH) out.push(files.slice(i, i + FILES_PER_BATCH));
  return out;
}

/** The constructor the SDK calls for each activation, as `registerActor` takes it. */
export type ImportJobActorClass = new (daprClient: DaprClient, id: ActorId) => AbstractActor;

/**
 * Builds the ImportJob actor class around its dependencies (the SDK constructs actors itself, so they come
 * in through this closure). The class name is the actor type: never minify it.
 */
export function importJobActor(deps: ImportJobDependencies): ImportJobActorClass {
  const { ledger, summaries, publisher, log } = deps;

  return class ImportJob extends AbstractActor {
    /** Opens the job in the ledger, starts listing its root folder and arms the watchdog; a repeat returns the job as it is. */
    async start(input: unknown): Promise<JobState> {
      const spec = StartJobV1.parse(input);
      const existing = await this.load();
      if (existing) return existing;
      await ledger.openJob({ id: spec.jobId, source: spec.source, folderUrl: spec.folderUrl, webhookUrl: spec.webhookUrl }, spec.root);
      if (spec.webhookUrl) {
        await this.getStateManager<WebhookState>().setState(WEBHOOK_STATE_KEY, { url: spec.webhookUrl, attempts: 0, status: 'pending', lastError: null });
      }
      const state = await this.applyEvent(undefined, { type: 'start', jobId: spec.jobId, source: spec.source, folderUrl: spec.folderUrl, recursive: spec.recursive });
      await this.armWatchdog(spec.jobId);
      await publisher.publish(listRequestedTopic, { jobId: spec.jobId, source: spec.source, folder: spec.root, cursor: null, recursive: spec.recursive });
      log.info('job started', { jobId: spec.jobId, source: spec.source });
      return state;
    }

    async listingProgress(input: unknown): Promise<JobState | undefined> {
      const event = ListingProgressV1.parse(input);
      return this.progress({ type: 'listing-progress', ...event });
    }

    async batchDone(input: unknown): Promise<JobState | undefined> {
      const event = BatchDoneV1.parse(input);
      return this.progress({ type: 'batch-done', ...event });
    }

    async listingFailed(input: unknown): Promise<JobState | undefined> {
      const { reason } = ListingFailedV1.parse(input);
      const state = await this.load();
      if (!state || isTerminal(state.status)) return state;
      const failed = await this.applyEvent(state, { type: 'fail', error: reason });
      await this.ended();
      log.warn('job failed', { jobId: state.jobId, reason });
      return failed;
    }

    async cancel(): Promise<CommandOutcome> {
      const state = await this.require();
      if (isTerminal(state.status)) return { outcome: 'conflict', message: `the job has already ended (${state.status})`, job: state };
      const cancelled = await this.applyEvent(state, { type: 'cancel' });
      await this.ended();
      log.info('job cancelled', { jobId: state.jobId });
      return { outcome: 'accepted', message: 'the job is cancelled', job: cancelled };
    }

    /** Puts the failed files back to pending and sends them to transfer again. */
    async retryFailed(): Promise<CommandOutcome> {
      const state = await this.require();
      if (state.status !== 'completed_with_errors') {
        return { outcome: 'conflict', message: `only a job that completed with errors has failed files to retry (this one is ${state.status})`, job: state };
      }
      const files = await ledger.resetFailed(state.jobId);
      const reopened = await this.applyEvent(state, { type: 'retry-failed', files: files.length });
      await this.publishFiles(state.jobId, state.source, files);
      await this.armWatchdog(state.jobId);
      log.info('retrying failed files', { jobId: state.jobId, files: files.length });
      return { outcome: 'accepted', message: `${files.length} failed files are being retried`, job: reopened };
    }

    async get(): Promise<JobState | undefined> {
      return this.load();
    }

    override async receiveReminder(data: unknown): Promise<void> {
      const jobLog = log.child({ jobId: this.getActorId().getId() });
      let kind: 'watchdog' | 'webhook' = 'watchdog';
      try {
        kind = readReminderPayload(ReminderPayloadSchema, data).kind;
      } catch (error) {
        jobLog.warn('unreadable reminder payload; running the watchdog', { error });
      }
      if (kind === 'webhook') await runReminderSafely(WEBHOOK_REMINDER, () => this.deliverWebhook(), jobLog);
      else await runReminderSafely(WATCHDOG_REMINDER, () => this.watchdog(), jobLog);
    }

    /** The job has just ended: no more watchdog; its webhook, if any, is sent by a reminder (durable, retried). */
    private async ended(): Promise<void> {
      await this.stopWatchdog();
      const [found, hook] = await this.getStateManager<WebhookState>().tryGetState(WEBHOOK_STATE_KEY);
      if (found && hook?.status === 'pending') await this.scheduleWebhook(0);
    }

    private async scheduleWebhook(delayMs: number): Promise<void> {
      const due = Temporal.Duration.from({ milliseconds: Math.max(1, delayMs) });
      // The period only matters when an attempt never ran (the process was down when it was due): it comes again.
      const period = Temporal.Duration.from({ milliseconds: Math.min(deps.webhookRetry.maxDelayMs, 60_000) });
      await this.registerActorReminder(WEBHOOK_REMINDER, due, period, undefined, reminderPayload({ jobId: this.getActorId().getId(), kind: 'webhook' }));
    }

    /** One delivery attempt; the outcome is saved before the next is armed, so a delivered webhook is not sent again. */
    private async deliverWebhook(): Promise<void> {
      const jobId = this.getActorId().getId();
      const states = this.getStateManager<WebhookState>();
      const [found, hook] = await states.tryGetState(WEBHOOK_STATE_KEY);
      const row = await summaries.find(jobId);
      if (!found || !hook || hook.status !== 'pending' || !row || !deps.webhooks) {
        if (found && hook?.status === 'pending') log.warn('webhook not sent: webhooks are not configured here', { jobId });
        await this.stopReminder(WEBHOOK_REMINDER);
        return;
      }
      const outcome = await deps.webhooks.deliver(hook.url, jobId, { event: 'import.job.finished', job: toJobSummary(row) });
      const attempts = hook.attempts + 1;
      if (outcome.delivered) {
        await states.setState(WEBHOOK_STATE_KEY, { ...hook, attempts, status: 'delivered', lastError: null });
        await states.saveState();
        await this.stopReminder(WEBHOOK_REMINDER);
        log.info('webhook delivered', { jobId, attempts, status: outcome.status });
        return;
      }
      const { baseDelayMs, maxDelayMs, maxAttempts } = deps.webhookRetry;
      if (!outcome.retryable || attempts >= maxAttempts) {
        await states.setState(WEBHOOK_STATE_KEY, { ...hook, attempts, status: 'given_up', lastError: outcome.reason });
        await states.saveState();
        await this.stopReminder(WEBHOOK_REMINDER);
        log.warn('webhook given up', { jobId, attempts, reason: outcome.reason });
        return;
      }
      await states.setState(WEBHOOK_STATE_KEY, { ...hook, attempts, lastError: outcome.reason });
      await states.saveState();
      const delayMs = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempts - 1));
      await this.scheduleWebhook(delayMs);
      log.info('webhook will be retried', { jobId, attempts, delayMs, reason: outcome.reason });
    }

    /** Counts progress, and ends the job once the ledger confirms nothing is left. */
    private async progress(event: JobEvent): Promise<JobState | undefined> {
      const state = await this.load();
      if (!state || isTerminal(state.status)) return state;
      const next = await this.applyEvent(state, event);
      return (await this.completeIfDone(next)) ?? next;
    }

    private async completeIfDone(state: JobState): Promise<JobState | undefined> {
      if (state.foldersPending > 0 || state.done + state.failed + state.skipped < state.found) return undefined;
      const finished = complete(state, await ledger.counts(state.jobId), deps.now().toISOString());
      if (!finished) return undefined;
      await this.save(finished);
      await this.ended();
      log.info('job finished', { jobId: state.jobId, status: finished.status, files: finished.found, failed: finished.failed, bytes: finished.bytes });
      return finished;
    }

    /** Reconciles the counters with the ledger, ends the job if it is done, and re-sends work that stalled. */
    private async watchdog(): Promise<void> {
      const state = await this.load();
      if (!state || isTerminal(state.status)) {
        await this.stopWatchdog();
        return;
      }
      const exact = await ledger.counts(state.jobId);
      const now = deps.now();
      if (await this.completeIfDone({ ...state, ...exact })) return;
      await this.applyEvent(state, { type: 'reconcile', counts: exact });
      if (now.getTime() - Date.parse(state.lastProgressAt) < deps.watchdog.stallAfterMs) return;

      const olderThan = new Date(now.getTime() - deps.watchdog.stallAfterMs);
      const folders = await ledger.claimStalledFolders(state.jobId, olderThan);
      for (const { folder, cursor } of folders) {
        await publisher.publish(listRequestedTopic, { jobId: state.jobId, source: state.source, folder, cursor, recursive: state.recursive });
      }
      const files = await ledger.claimStalePending(state.jobId, olderThan, deps.watchdog.republishLimit);
      await this.publishFiles(state.jobId, state.source, files);
      if (folders.length || files.length) log.warn('re-published stalled work', { jobId: state.jobId, folders: folders.length, files: files.length });
    }

    private async publishFiles(jobId: string, source: SourceKind, files: readonly SourceFile[]): Promise<void> {
      await publisher.publishMany(filesFoundTopic, batches(files).map((batch) => ({ jobId, source, files: batch })));
    }

    private async applyEvent(state: JobState | undefined, event: JobEvent): Promise<JobState> {
      const next = transition(state, event, deps.now().toISOString());
      if (next !== state) await this.save(next);
      return next;
    }

    /** The actor's state, then the summary row the API lists jobs from. */
    private async save(state: JobState): Promise<void> {
      await this.getStateManager<JobState>().setState(STATE_KEY, state);
      await summaries.save({
        id: state.jobId,
        status: state.status,
        found: state.found,
        done: state.done,
        failed: state.failed,
        skipped: state.skipped,
        bytes: state.bytes,
        error: state.error,
        finishedAt: state.finishedAt,
      });
    }

    private async load(): Promise<JobState | undefined> {
      const [found, state] = await this.getStateManager<JobState>().tryGetState(STATE_KEY);
      return found && state ? state : undefined;
    }

    private async require(): Promise<JobState> {
      const state = await this.load();
      if (!state) throw new Error(`job ${this.getActorId().getId()} does not exist`);
      return state;
    }

    private async armWatchdog(jobId: string): Promise<void> {
      const period = Temporal.Duration.from({ milliseconds: deps.watchdog.periodMs });
      await this.registerActorReminder(WATCHDOG_REMINDER, period, period, undefined, reminderPayload({ jobId, kind: 'watchdog' }));
    }

    private async stopWatchdog(): Promise<void> {
      await this.stopReminder(WATCHDOG_REMINDER);
    }

    private async stopReminder(name: string): Promise<void> {
      try {
        await this.unregisterActorReminder(name);
      } catch (error) {
        log.warn('could not remove a reminder', { jobId: this.getActorId().getId(), reminder: name, error });
      }
    }
  };
}
