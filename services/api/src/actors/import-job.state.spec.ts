import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LedgerCounts } from '@importer/contracts';
import { type JobEvent, type JobState, looksFinished, stalledBefore, type Transition, transition } from './import-job.state.js';

const t0 = '2026-01-01T00:00:00.000Z';
const t1 = '2026-01-01T00:00:01.000Z';
const exact = (counts: Partial<LedgerCounts> = {}): LedgerCounts => ({ totalFiles: 0, processedFiles: 0, failedFiles: 0, skippedFiles: 0, bytes: 0, foldersPending: 0, ...counts });
const startEvent: JobEvent = { type: 'start', jobId: 'j1', source: 'google_drive', folderUrl: 'https://drive.google.com/drive/folders/x', recursive: true, maxFiles: null };

/** The state after an event the spec expects to apply. */
function applied(result: Transition): JobState {
  assert.equal(result.outcome, 'applied', result.outcome === 'applied' ? '' : result.reason);
  return result.state;
}

/** Applies each event in turn, each expected to apply. */
function after(state: JobState | undefined, ...events: JobEvent[]): JobState {
  let current = state;
  for (const event of events) current = applied(transition(current, event, t1));
  assert.ok(current);
  return current;
}

const started = (): JobState => applied(transition(undefined, startEvent, t0));
const listed = (totalFiles: number): JobState => after(started(), { type: 'listing-progress', totalFiles, skippedFiles: 0, newFolders: 0, folderDone: true });

describe('ImportJob state machine', () => {
  test('start opens the job in listing with the root folder pending; a repeated start is ignored', () => {
    const state = started();
    assert.deepEqual([state.status, state.foldersPending, state.totalFiles, state.createdAt], ['listing', 1, 0, t0]);
    const repeat = transition(state, startEvent, t1);
    assert.deepEqual(repeat, { outcome: 'ignored', state, reason: 'job j1 has already started' });
  });

  test('listing progress counts files and folders; the job runs once files are found', () => {
    let state = after(started(), { type: 'listing-progress', totalFiles: 0, skippedFiles: 0, newFolders: 2, folderDone: false });
    assert.equal(state.status, 'listing', 'no files yet');
    assert.equal(state.foldersPending, 3);
    state = after(state, { type: 'listing-progress', totalFiles: 1000, skippedFiles: 3, newFolders: 0, folderDone: true });
    assert.equal(state.status, 'running');
    assert.deepEqual([state.totalFiles, state.skippedFiles, state.foldersPending], [1000, 3, 2]);
    assert.equal(state.lastProgressAt, t1);
  });

  test("listing past the owner's files-per-job quota fails the job with that reason; up to it, the job runs", () => {
    const capped = applied(transition(undefined, { ...startEvent, maxFiles: 100 } as JobEvent, t0));
    const at = transition(capped, { type: 'listing-progress', totalFiles: 100, skippedFiles: 0, newFolders: 1, folderDone: true }, t1);
    assert.equal(applied(at).status, 'running');
    const past = transition(applied(at), { type: 'listing-progress', totalFiles: 1, skippedFiles: 0, newFolders: 0, folderDone: true }, t1);
    assert.equal(past.outcome === 'applied' && past.ended, true);
    assert.deepEqual([applied(past).status, applied(past).finishedAt], ['failed', t1]);
    assert.match(applied(past).error ?? '', /more than 100 files.*quota/);
    assert.equal(transition(applied(past), { type: 'listing-progress', totalFiles: 5, skippedFiles: 0, newFolders: 0, folderDone: true }, t1).outcome, 'ignored');
  });

  test('batches add their outcomes and bytes; the counters alone never end the job', () => {
    const result = transition(after(listed(10), { type: 'batch-done', processedFiles: 7, failedFiles: 1, skippedFiles: 0, bytes: 7000 }), { type: 'batch-done', processedFiles: 2, failedFiles: 0, skippedFiles: 0, bytes: 2000 }, t1);
    const state = applied(result);
    assert.deepEqual([state.processedFiles, state.failedFiles, state.bytes, state.status], [9, 1, 9000, 'running']);
    assert.equal(result.outcome === 'applied' && result.ended, false);
    assert.equal(looksFinished(state), true, 'time to ask the ledger');
  });

  test('reconcile takes the ledger counts, and ends the job only when they show nothing left', () => {
    const state = listed(10);
    const pending = transition(state, { type: 'reconcile', counts: exact({ totalFiles: 10, processedFiles: 9 }) }, t1);
    assert.deepEqual([applied(pending).status, pending.outcome === 'applied' && pending.ended], ['running', false], 'one file still pending');
    assert.equal(applied(transition(state, { type: 'reconcile', counts: exact({ totalFiles: 10, processedFiles: 10, foldersPending: 1 }) }, t1)).status, 'running', 'a folder still listing');

    const done = transition(state, { type: 'reconcile', counts: exact({ totalFiles: 10, processedFiles: 10, bytes: 10 }) }, t1);
    assert.deepEqual([applied(done).status, applied(done).finishedAt, done.outcome === 'applied' && done.ended], ['completed', t1, true]);
    const withErrors = applied(transition(state, { type: 'reconcile', counts: exact({ totalFiles: 12, processedFiles: 9, failedFiles: 1, skippedFiles: 2 }) }, t1));
    assert.equal(withErrors.status, 'completed_with_errors');
    assert.equal(withErrors.totalFiles, 12, 'the exact counts replace what duplicated events added up to');
  });

  test('reconcile corrects counters a redelivered event counted twice', () => {
    const twice = after(listed(10), { type: 'listing-progress', totalFiles: 10, skippedFiles: 0, newFolders: 0, folderDone: true });
    assert.equal(twice.totalFiles, 20);
    const state = after(twice, { type: 'reconcile', counts: exact({ totalFiles: 10, processedFiles: 4, bytes: 400 }) });
    assert.deepEqual([state.totalFiles, state.processedFiles, state.bytes, state.foldersPending], [10, 4, 400, 0]);
  });

  test('cancel ends a running job; events that arrive later are ignored, a second cancel is a conflict', () => {
    const result = transition(listed(5), { type: 'cancel' }, t1);
    const cancelled = applied(result);
    assert.deepEqual([cancelled.status, cancelled.finishedAt, result.outcome === 'applied' && result.ended], ['cancelled', t1, true]);
    const late: JobEvent[] = [
      { type: 'batch-done', processedFiles: 5, failedFiles: 0, skippedFiles: 0, bytes: 1 },
      { type: 'listing-progress', totalFiles: 5, skippedFiles: 0, newFolders: 1, folderDone: true },
      { type: 'reconcile', counts: exact({ totalFiles: 5, processedFiles: 5 }) },
      { type: 'fail', error: 'too late' },
    ];
    for (const event of late) assert.deepEqual(transition(cancelled, event, t1), { outcome: 'ignored', state: cancelled, reason: 'the job has already ended (cancelled)' }, event.type);
    assert.deepEqual(transition(cancelled, { type: 'cancel' }, t1), { outcome: 'conflict', state: cancelled, reason: 'the job has already ended (cancelled)' });
  });

  test('fail records why the job failed, and ends it', () => {
    const result = transition(started(), { type: 'fail', error: 'the Google API key was refused' }, t1);
    const failed = applied(result);
    assert.deepEqual([failed.status, failed.error, failed.finishedAt], ['failed', 'the Google API key was refused', t1]);
    assert.equal(result.outcome === 'applied' && result.ended, true);
    assert.equal(transition(failed, { type: 'cancel' }, t1).outcome, 'conflict', 'a failed job cannot be cancelled');
  });

  test('retry reopens a job that completed with errors, and is a conflict for any other', () => {
    const ended = after(listed(3), { type: 'reconcile', counts: exact({ totalFiles: 3, processedFiles: 2, failedFiles: 1 }) });
    assert.equal(ended.status, 'completed_with_errors');
    const reopened = transition(ended, { type: 'retry-failed' }, t1);
    assert.deepEqual([applied(reopened).status, applied(reopened).failedFiles, applied(reopened).finishedAt], ['running', 0, null]);
    assert.equal(reopened.outcome === 'applied' && reopened.ended, false);

    const completed = after(listed(3), { type: 'reconcile', counts: exact({ totalFiles: 3, processedFiles: 3 }) });
    for (const state of [listed(3), completed, after(listed(3), { type: 'cancel' })]) {
      const result = transition(state, { type: 'retry-failed' }, t1);
      assert.deepEqual(result, { outcome: 'conflict', state, reason: `only a job that completed with errors has failed files to retry (this one is ${state.status})` });
    }
  });

  test('every event but start is a conflict when there is no job', () => {
    const events: JobEvent[] = [
      { type: 'listing-progress', totalFiles: 1, skippedFiles: 0, newFolders: 0, folderDone: true },
      { type: 'batch-done', processedFiles: 1, failedFiles: 0, skippedFiles: 0, bytes: 1 },
      { type: 'reconcile', counts: exact() },
      { type: 'cancel' },
      { type: 'fail', error: 'x' },
      { type: 'retry-failed' },
    ];
    for (const event of events) assert.deepEqual(transition(undefined, event, t1), { outcome: 'conflict', state: undefined, reason: `there is no job to apply ${event.type} to` });
  });

  test('a job is stalled once no progress came for the stall time; the cut-off is that long ago', () => {
    const state = started();
    const at = Date.parse(t0);
    assert.equal(stalledBefore(state, at + 59_999, 60_000), undefined);
    assert.deepEqual(stalledBefore(state, at + 90_000, 60_000), new Date(at + 30_000));
  });
});
