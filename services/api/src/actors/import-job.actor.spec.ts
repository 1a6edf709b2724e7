import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { type AbstractActor, ActorId, DaprClient, type Temporal } from '@dapr/dapr';
import {
  filesFoundTopic,
  type FolderRef,
  IMPORT_JOB_ACTOR,
  type JobFinishedWebhook,
  type LedgerCounts,
  listRequestedTopic,
  type SourceFile,
  type StartJob,
} from '@importer/contracts';
import type { JobSummaryRow, JobSummaryUpdate, NewJob, RestorableJob, StalledFolder } from '@importer/db';
import { createLogger } from '@importer/observability';
import { RecordingPublisher } from '../test-support/recording.publisher.js';
import type { JobState } from './import-job.state.js';
import type { WebhookOutcome } from '../webhooks/webhook.sender.js';
import { type ImportJobActorClass, importJobActor, type ImportJobDependencies, JOB_STATE_KEY, WATCHDOG_REMINDER, WEBHOOK_REMINDER, WEBHOOK_STATE_KEY } from './import-job.actor.js';

type StateProvider = ReturnType<AbstractActor['getStateProvider']>;
type StateChanges = Parameters<StateProvider['saveState']>[2];
/** `StateChangeKind.REMOVE` in the SDK (a const enum there). */
const REMOVE = 3;

/** What daprd's actor state store would hold for one actor: only what a turn saved. */
class MemoryStateStore {
  readonly saved = new Map<string, unknown>();

  async containsState(_type: string, _id: ActorId, name: string): Promise<boolean> {
    return this.saved.has(name);
  }

  async tryLoadState(_type: string, _id: ActorId, name: string): Promise<[boolean, unknown]> {
    return this.saved.has(name) ? [true, structuredClone(this.saved.get(name))] : [false, undefined];
  }

  async saveState(_type: string, _id: ActorId, changes: StateChanges): Promise<void> {
    for (const change of changes) {
      if (change.getChangeKind() === REMOVE) this.saved.delete(change.getStateName());
      else this.saved.set(change.getStateName(), structuredClone(change.getValue()));
    }
  }
}

interface Reminder {
  dueMs: number;
  periodMs: number | undefined;
  payload: unknown;
}

/**
 * Hosts one ImportJob as the SDK's ActorManager does: one instance per activation, each call a turn (the pre hook,
 * the method, the post hook that saves the state manager's changes). The SDK's own ActorStateManager runs unchanged;
 * only its state provider (daprd's state API) is an in-memory store, and reminders are recorded instead of registered.
 */
class ImportJobHost {
  readonly store = new MemoryStateStore();
  readonly reminders = new Map<string, Reminder>();
  private actor: InstanceType<ImportJobActorClass> | undefined;

  constructor(
    private readonly actorClass: ImportJobActorClass,
    readonly jobId: string,
  ) {}

  /** One actor turn, as daprd delivers a method call. */
  async turn<R>(call: (actor: InstanceType<ImportJobActorClass>) => Promise<R>): Promise<R> {
    const actor = await this.activation();
    await actor.onActorMethodPreInternal();
    const result = await call(actor);
    await actor.onActorMethodPostInternal();
    return result;
  }

  /** Fires a registered reminder with the payload it was registered with. */
  async fire(name: string): Promise<void> {
    const reminder = this.reminders.get(name);
    assert.ok(reminder, `no ${name} reminder is registered (have: ${[...this.reminders.keys()].join(', ') || 'none'})`);
    await this.turn((actor) => actor.receiveReminder(reminder.payload));
  }

  /** The actor goes idle and is collected; the next call activates a fresh instance over the saved state. */
  deactivate(): void {
    this.actor = undefined;
  }

  private async activation(): Promise<InstanceType<ImportJobActorClass>> {
    if (this.actor) return this.actor;
    const { store, reminders } = this;
    class HostedImportJob extends this.actorClass {
      override getStateProvider(): StateProvider {
        // The store has the provider's three methods; the SDK's type also names its ActorClient, which is never used here.
        return store as unknown as StateProvider;
      }

      override async registerActorReminder(name: string, dueTime: Temporal.Duration, period?: Temporal.Duration, _ttl?: Temporal.Duration, state?: unknown): Promise<void> {
        reminders.set(name, { dueMs: dueTime.total({ unit: 'milliseconds' }), periodMs: period?.total({ unit: 'milliseconds' }), payload: state });
      }

      override async unregisterActorReminder(name: string): Promise<void> {
        reminders.delete(name);
      }
    }
    // No request reaches this address: the state provider and the reminder calls are the only ways out, and both are replaced.
    const actor = new HostedImportJob(new DaprClient({ daprHost: '127.0.0.1', daprPort: '1' }), new ActorId(this.jobId));
    await actor.onActivateInternal();
    this.actor = actor;
    return actor;
  }
}

const jobId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const root: FolderRef = { id: 'root', path: '' };
const t0 = Date.parse('2026-01-01T00:00:00.000Z');
const file = (id: string): SourceFile => ({ sourceFileId: id, name: `${id}.png`, path: `${id}.png`, mimeType: 'image/png', size: 1, md5: null });
const ownerId = '9b2d4c1e-0f3a-4b5c-8d6e-7f8091a2b3c4';
const spec = (overrides: Partial<StartJob> = {}): StartJob => ({
  jobId,
  ownerId,
  maxFiles: null,
  source: 'google_drive',
  folderUrl: 'https://drive.google.com/drive/folders/x',
  root,
  recursive: true,
  webhookUrl: null,
  ...overrides,
});
const WATCHDOG = { periodMs: 30_000, stallAfterMs: 120_000, republishLimit: 500 };
const RETRY = { baseDelayMs: 1_000, maxDelayMs: 8_000, maxAttempts: 3 };

/** Fakes behind every dependency of the actor, and what each was asked. */
function harness(options: { webhooks?: boolean } = {}) {
  const clock = { ms: t0 };
  const ledger = {
    counts: { totalFiles: 0, processedFiles: 0, failedFiles: 0, skippedFiles: 0, bytes: 0, foldersPending: 1 } as LedgerCounts,
    opened: [] as NewJob[],
    roots: [] as { jobId: string; root: FolderRef }[],
    /** What start wrote, in order: the job's row must come before its root folder, which references it. */
    writes: [] as ('job row' | 'root folder')[],
    countReads: 0,
    stalledFolders: [] as StalledFolder[],
    stalePending: [] as SourceFile[],
    claims: [] as { olderThan: Date; limit?: number }[],
    failedFiles: [] as SourceFile[],
    resets: 0,
  };
  const summaries = new Map<string, JobSummaryRow>();
  /** import_jobs as the repository keeps it: opened queued, then each save. */
  const rows = new Map<string, RestorableJob>();
  const saves: JobSummaryUpdate[] = [];
  const deliveries: { url: string; ownerId: string | null; payload: JobFinishedWebhook }[] = [];
  const outcomes: WebhookOutcome[] = [];
  const publisher = new RecordingPublisher([listRequestedTopic, filesFoundTopic]);
  const deps: ImportJobDependencies = {
    ledger: {
      openRoot: async (id, folder) => void (ledger.writes.push('root folder'), ledger.roots.push({ jobId: id, root: folder })),
      counts: async () => (ledger.countReads++, { ...ledger.counts }),
      claimStalledFolders: async (_id, olderThan) => (ledger.claims.push({ olderThan }), ledger.stalledFolders),
      claimStalePending: async (_id, olderThan, limit) => (ledger.claims.push({ olderThan, limit }), ledger.stalePending),
      resetFailed: async () => (ledger.resets++, ledger.failedFiles),
    },
    summaries: {
      open: async (job) => {
        ledger.writes.push('job row');
        ledger.opened.push(job);
        const at = new Date(clock.ms);
        const totals = { totalFiles: 0, processedFiles: 0, failedFiles: 0, skippedFiles: 0, bytes: 0 };
        const opened = { ...totals, status: 'queued' as const, error: null, createdAt: at, updatedAt: at, finishedAt: null };
        rows.set(job.id, { ...opened, id: job.id, source: job.source, folderUrl: job.folderUrl, webhookUrl: job.webhookUrl, recursive: job.recursive ?? true, maxFiles: job.maxFiles ?? null });
      },
      save: async (update) => {
        saves.push(update);
        const row = rows.get(update.id);
        if (row) rows.set(update.id, { ...row, ...update, updatedAt: new Date(clock.ms) });
        summaries.set(update.id, { ...update, ownerId, source: 'google_drive', folderUrl: 'https://drive.google.com/drive/folders/x', createdAt: new Date(t0) });
      },
      find: async (id, scope) => ('anyOwner' in scope || scope.ownerId === ownerId ? summaries.get(id) : undefined),
      findToRestore: async (id) => rows.get(id),
    },
    ...(options.webhooks === false
      ? {}
      : {
          webhooks: {
            deliver: async (url: string, job: { jobId: string; ownerId: string | null }, payload: JobFinishedWebhook) => {
              deliveries.push({ url, ownerId: job.ownerId, payload });
              return outcomes.shift() ?? { delivered: true, status: 200 };
            },
          },
        }),
    webhookRetry: RETRY,
    publisher,
    log: createLogger({ service: 'spec', write: () => {} }),
    now: () => new Date(clock.ms),
    watchdog: WATCHDOG,
  };
  const actorClass = importJobActor(deps);
  const host = new ImportJobHost(actorClass, jobId);
  /** The job as the state store holds it: what the last turn saved. */
  const saved = () => host.store.saved.get(JOB_STATE_KEY) as JobState | undefined;
  /** Redis restarted with nothing kept: the actor's state is gone, and the next call activates a fresh instance. */
  const loseState = () => (host.store.saved.clear(), host.deactivate());
  return { actorClass, host, clock, ledger, rows, saves, deliveries, outcomes, publisher, saved, loseState };
}

type Harness = ReturnType<typeof harness>;

/** A started job whose listing found `totalFiles` files in its only folder (the ledger has the page before the event comes). */
async function listed(h: Harness, totalFiles: number, start: Partial<StartJob> = {}): Promise<void> {
  await h.host.turn((a) => a.start(spec(start)));
  h.ledger.counts = { totalFiles, processedFiles: 0, failedFiles: 0, skippedFiles: 0, bytes: 0, foldersPending: 0 };
  await h.host.turn((a) => a.listingProgress({ jobId, totalFiles, skippedFiles: 0, newFolders: 0, folderDone: true }));
}

describe('ImportJob actor', () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });

  test('its class name is the actor type', () => {
    assert.equal(h.actorClass.name, IMPORT_JOB_ACTOR);
  });

  test('start opens the job, lists the root folder and arms the watchdog; a repeat changes nothing', async () => {
    const state = await h.host.turn((a) => a.start(spec()));
    assert.deepEqual([state.status, state.foldersPending], ['listing', 1]);
    assert.deepEqual(h.ledger.opened, [{ id: jobId, ownerId, source: 'google_drive', folderUrl: 'https://drive.google.com/drive/folders/x', webhookUrl: null, recursive: true, maxFiles: null }]);
    assert.deepEqual(h.ledger.roots, [{ jobId, root }]);
    assert.deepEqual(h.ledger.writes, ['job row', 'root folder']);
    assert.deepEqual(h.publisher.on(listRequestedTopic), [{ jobId, source: 'google_drive', folder: root, cursor: null, recursive: true }]);
    assert.deepEqual(h.host.reminders.get(WATCHDOG_REMINDER), { dueMs: WATCHDOG.periodMs, periodMs: WATCHDOG.periodMs, payload: JSON.stringify({ jobId, kind: 'watchdog' }) });
    assert.equal(h.saved()?.status, 'listing', 'the state was saved at the end of the turn');
    assert.equal(h.saves.at(-1)?.status, 'listing', 'and the summary row written');

    h.host.deactivate();
    const repeat = await h.host.turn((a) => a.start(spec()));
    assert.deepEqual(repeat, state);
    assert.deepEqual([h.ledger.opened.length, h.ledger.roots.length], [1, 1]);
    assert.equal(h.publisher.on(listRequestedTopic).length, 1);
  });

  test('progress counts without asking the ledger until the counters say the job may be done', async () => {
    await listed(h, 3);
    let state = await h.host.turn((a) => a.batchDone({ jobId, processedFiles: 2, failedFiles: 0, skippedFiles: 0, bytes: 20 }));
    assert.deepEqual([state?.status, state?.processedFiles, h.ledger.countReads], ['running', 2, 0]);

    h.ledger.counts = { ...h.ledger.counts, processedFiles: 2 };
    state = await h.host.turn((a) => a.batchDone({ jobId, processedFiles: 1, failedFiles: 0, skippedFiles: 0, bytes: 10 }));
    assert.equal(h.ledger.countReads, 1, 'the counters added up, so the ledger was asked');
    assert.deepEqual([state?.status, state?.processedFiles], ['running', 2], 'the ledger still has a file pending: its exact counts win');
    assert.ok(h.host.reminders.has(WATCHDOG_REMINDER));
  });

  test('the job completes once the ledger confirms nothing is pending, and its watchdog stops', async () => {
    await listed(h, 3);
    h.ledger.counts = { totalFiles: 3, processedFiles: 2, failedFiles: 1, skippedFiles: 0, bytes: 30, foldersPending: 0 };
    const state = await h.host.turn((a) => a.batchDone({ jobId, processedFiles: 2, failedFiles: 1, skippedFiles: 0, bytes: 30 }));
    assert.deepEqual([state?.status, state?.failedFiles, state?.finishedAt], ['completed_with_errors', 1, new Date(t0).toISOString()]);
    assert.equal(h.saved()?.status, 'completed_with_errors');
    assert.equal(h.saves.at(-1)?.status, 'completed_with_errors');
    assert.equal(h.host.reminders.has(WATCHDOG_REMINDER), false);

    const late = await h.host.turn((a) => a.batchDone({ jobId, processedFiles: 1, failedFiles: 0, skippedFiles: 0, bytes: 1 }));
    assert.deepEqual(late, state, 'a redelivered batch after the end changes nothing');
  });

  test('the watchdog reconciles, and re-publishes stalled folders and files only after the stall time', async () => {
    await listed(h, 120);
    h.ledger.counts = { totalFiles: 120, processedFiles: 10, failedFiles: 0, skippedFiles: 0, bytes: 100, foldersPending: 1 };
    h.ledger.stalledFolders = [{ folder: { id: 'sub', path: 'Sub' }, cursor: 'page-2' }];
    h.ledger.stalePending = Array.from({ length: 110 }, (_, i) => file(`f${i}`));
    h.publisher.clear();

    h.clock.ms = t0 + WATCHDOG.stallAfterMs - 1;
    await h.host.fire(WATCHDOG_REMINDER);
    assert.deepEqual([h.saved()?.processedFiles, h.publisher.count(), h.ledger.claims.length], [10, 0, 0], 'reconciled, but not stalled yet');

    h.clock.ms = t0 + WATCHDOG.stallAfterMs + 5_000;
    await h.host.fire(WATCHDOG_REMINDER);
    assert.deepEqual(h.publisher.on(listRequestedTopic), [{ jobId, source: 'google_drive', folder: { id: 'sub', path: 'Sub' }, cursor: 'page-2', recursive: true }]);
    assert.deepEqual(
      h.publisher.on(filesFoundTopic).map((batch) => batch.files.length),
      [50, 50, 10],
    );
    assert.deepEqual(h.ledger.claims, [{ olderThan: new Date(t0 + 5_000) }, { olderThan: new Date(t0 + 5_000), limit: WATCHDOG.republishLimit }]);
    assert.ok(h.host.reminders.has(WATCHDOG_REMINDER), 'the watchdog keeps watching');
  });

  test('the watchdog ends a job the ledger shows finished, and removes itself for a job that has ended', async () => {
    await listed(h, 2);
    h.ledger.counts = { totalFiles: 2, processedFiles: 2, failedFiles: 0, skippedFiles: 0, bytes: 2, foldersPending: 0 };
    await h.host.fire(WATCHDOG_REMINDER);
    assert.equal(h.saved()?.status, 'completed');
    assert.equal(h.host.reminders.has(WATCHDOG_REMINDER), false);

    h.host.reminders.set(WATCHDOG_REMINDER, { dueMs: 1, periodMs: 1, payload: JSON.stringify({ jobId, kind: 'watchdog' }) });
    const saves = h.saves.length;
    await h.host.fire(WATCHDOG_REMINDER);
    assert.equal(h.host.reminders.has(WATCHDOG_REMINDER), false, 'a reminder left behind goes');
    assert.equal(h.saves.length, saves, 'and the ended job is not written again');
  });

  test('a job whose state store lost its state is rebuilt from its row and the ledger: the watchdog still ends it and its webhook goes out', async () => {
    await listed(h, 3, { webhookUrl: 'https://hooks.example/done', maxFiles: 500 });
    h.loseState();
    h.ledger.counts = { totalFiles: 3, processedFiles: 3, failedFiles: 0, skippedFiles: 0, bytes: 30, foldersPending: 0 };
    await h.host.fire(WATCHDOG_REMINDER);
    assert.deepEqual([h.saved()?.status, h.saved()?.processedFiles, h.saved()?.maxFiles, h.saved()?.recursive], ['completed', 3, 500, true]);
    assert.equal(h.host.reminders.has(WATCHDOG_REMINDER), false, 'the ended job stops its watchdog');
    await h.host.fire(WEBHOOK_REMINDER);
    assert.deepEqual(
      h.deliveries.map((d) => [d.url, d.payload.job.status]),
      [['https://hooks.example/done', 'completed']],
    );
  });

  test('after a lost state the stall clock runs from the row\'s last save, so stalled work is sent again', async () => {
    await listed(h, 20);
    h.loseState();
    h.ledger.counts = { totalFiles: 20, processedFiles: 5, failedFiles: 0, skippedFiles: 0, bytes: 5, foldersPending: 0 };
    h.ledger.stalePending = [file('f1')];
    h.publisher.clear();
    h.clock.ms = t0 + WATCHDOG.stallAfterMs + 1_000;
    await h.host.fire(WATCHDOG_REMINDER);
    assert.deepEqual([h.saved()?.status, h.saved()?.processedFiles], ['running', 5]);
    assert.deepEqual(h.publisher.on(filesFoundTopic).map((batch) => batch.files.map((f) => f.sourceFileId)), [['f1']]);
  });

  test('a row still queued (the start never committed) is not restored: the repeated start does it all', async () => {
    await h.host.turn((a) => a.start(spec()));
    const row = h.rows.get(jobId);
    assert.ok(row);
    h.rows.set(jobId, { ...row, status: 'queued' });
    h.loseState();
    h.publisher.clear();
    const state = await h.host.turn((a) => a.start(spec()));
    assert.equal(state.status, 'listing');
    assert.equal(h.publisher.on(listRequestedTopic).length, 1, 'the root folder is listed again');
  });

  test('cancel ends the job and its watchdog; a second cancel is a conflict that says why', async () => {
    await listed(h, 5);
    const accepted = await h.host.turn((a) => a.cancel());
    assert.deepEqual([accepted.outcome, accepted.job.status], ['accepted', 'cancelled']);
    assert.equal(h.saved()?.status, 'cancelled');
    assert.equal(h.host.reminders.has(WATCHDOG_REMINDER), false);

    const again = await h.host.turn((a) => a.cancel());
    assert.deepEqual(again, { outcome: 'conflict', message: 'the job has already ended (cancelled)', job: accepted.job });
    const late = await h.host.turn((a) => a.listingProgress({ jobId, totalFiles: 9, skippedFiles: 0, newFolders: 0, folderDone: true }));
    assert.equal(late?.totalFiles, 5, 'progress for a cancelled job is ignored');
  });

  test('retry sends the failed files again and re-arms the watchdog; a job without failures refuses it untouched', async () => {
    await listed(h, 3);
    const refused = await h.host.turn((a) => a.retryFailed());
    assert.deepEqual([refused.outcome, refused.message], ['conflict', 'only a job that completed with errors has failed files to retry (this one is running)']);
    assert.equal(h.ledger.resets, 0, 'the ledger was not touched');

    h.ledger.counts = { totalFiles: 3, processedFiles: 1, failedFiles: 2, skippedFiles: 0, bytes: 1, foldersPending: 0 };
    await h.host.turn((a) => a.batchDone({ jobId, processedFiles: 1, failedFiles: 2, skippedFiles: 0, bytes: 1 }));
    assert.equal(h.saved()?.status, 'completed_with_errors');
    h.ledger.failedFiles = [file('a'), file('b')];
    h.publisher.clear();

    const accepted = await h.host.turn((a) => a.retryFailed());
    assert.deepEqual([accepted.outcome, accepted.message, accepted.job.status, accepted.job.failedFiles], ['accepted', '2 failed files are being retried', 'running', 0]);
    assert.deepEqual(h.publisher.on(filesFoundTopic), [{ jobId, source: 'google_drive', files: [file('a'), file('b')] }]);
    assert.ok(h.host.reminders.has(WATCHDOG_REMINDER));
    assert.equal(h.saves.at(-1)?.status, 'running', 'the summary says running before transfer sees the files');
  });

  test('a job that ends arms its webhook; a retryable refusal is retried later, a delivery stops it', async () => {
    await listed(h, 1, { webhookUrl: 'https://hooks.example/done' });
    assert.deepEqual(h.host.store.saved.get(WEBHOOK_STATE_KEY), { url: 'https://hooks.example/done', attempts: 0, status: 'pending', lastError: null });
    assert.equal(h.host.reminders.has(WEBHOOK_REMINDER), false, 'not before the job ends');

    await h.host.turn((a) => a.listingFailed({ jobId, reason: 'the folder is gone' }));
    assert.deepEqual(h.host.reminders.get(WEBHOOK_REMINDER), { dueMs: 1, periodMs: RETRY.maxDelayMs, payload: JSON.stringify({ jobId, kind: 'webhook' }) });

    h.outcomes.push({ delivered: false, retryable: true, reason: 'the receiver answered 503' });
    await h.host.fire(WEBHOOK_REMINDER);
    assert.equal(h.deliveries.length, 1);
    assert.deepEqual([h.deliveries[0]?.url, h.deliveries[0]?.payload.event, h.deliveries[0]?.payload.job.status], ['https://hooks.example/done', 'import.job.finished', 'failed']);
    assert.equal(h.deliveries[0]?.ownerId, ownerId, "signed with the owner's secret");
    assert.equal(h.host.reminders.get(WEBHOOK_REMINDER)?.dueMs, RETRY.baseDelayMs);
    assert.deepEqual(h.host.store.saved.get(WEBHOOK_STATE_KEY), { url: 'https://hooks.example/done', attempts: 1, status: 'pending', lastError: 'the receiver answered 503' });

    await h.host.fire(WEBHOOK_REMINDER);
    assert.equal(h.deliveries.length, 2);
    assert.equal(h.host.reminders.has(WEBHOOK_REMINDER), false);
    assert.deepEqual(h.host.store.saved.get(WEBHOOK_STATE_KEY), { url: 'https://hooks.example/done', attempts: 2, status: 'delivered', lastError: null });
  });

  test('a webhook reminder with nothing to send, or no sender configured, removes itself without sending', async () => {
    const bare = harness({ webhooks: false });
    await listed(bare, 0, { webhookUrl: 'https://hooks.example/done' });
    assert.equal(bare.saved()?.status, 'completed', 'an empty folder completes at once');
    await bare.host.fire(WEBHOOK_REMINDER);
    assert.equal(bare.host.reminders.has(WEBHOOK_REMINDER), false);

    await listed(h, 0);
    h.host.reminders.set(WEBHOOK_REMINDER, { dueMs: 1, periodMs: 1, payload: JSON.stringify({ jobId, kind: 'webhook' }) });
    await h.host.fire(WEBHOOK_REMINDER);
    assert.deepEqual([h.deliveries.length, h.host.reminders.has(WEBHOOK_REMINDER)], [0, false], 'a job without a webhook sends nothing');
  });
});
