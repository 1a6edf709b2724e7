import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { complete, type JobState, looksFinished, transition, TransitionError } from './import-job.state.js';

const t0 = '2026-01-01T00:00:00.000Z';
const t1 = '2026-01-01T00:00:01.000Z';
const exact = (counts: Partial<Parameters<typeof complete>[1]> = {}) => ({ found: 0, done: 0, failed: 0, skipped: 0, bytes: 0, foldersPending: 0, ...counts });

function started(): JobState {
  return transition(undefined, { type: 'start', jobId: 'j1', source: 'google_drive', folderUrl: 'https://drive.google.com/drive/folders/x', recursive: true }, t0);
}

describe('ImportJob state machine', () => {
  test('start opens the job in listing with the root folder pending', () => {
    const state = started();
    assert.equal(state.status, 'listing');
    assert.equal(state.foldersPending, 1);
    assert.equal(state.found, 0);
    assert.throws(() => transition(state, { type: 'start', jobId: 'j1', source: 'google_drive', folderUrl: null, recursive: true }, t1), TransitionError);
  });

  test('listing progress counts files and folders; the job runs once files are found', () => {
    let state = transition(started(), { type: 'listing-progress', found: 0, skipped: 0, newFolders: 2, folderDone: false }, t1);
    assert.equal(state.status, 'listing', 'no files yet');
    assert.equal(state.foldersPending, 3);
    state = transition(state, { type: 'listing-progress', found: 1000, skipped: 3, newFolders: 0, folderDone: true }, t1);
    assert.equal(state.status, 'running');
    assert.deepEqual([state.found, state.skipped, state.foldersPending], [1000, 3, 2]);
    assert.equal(state.lastProgressAt, t1);
  });

  test('batches add their outcomes and bytes', () => {
    let state = transition(started(), { type: 'listing-progress', found: 10, skipped: 0, newFolders: 0, folderDone: true }, t1);
    state = transition(state, { type: 'batch-done', done: 7, failed: 1, skipped: 0, bytes: 7000 }, t1);
    state = transition(state, { type: 'batch-done', done: 2, failed: 0, skipped: 0, bytes: 2000 }, t1);
    assert.deepEqual([state.done, state.failed, state.bytes], [9, 1, 9000]);
    assert.equal(looksFinished(state), true);
  });

  test('completion waits for the ledger to agree, and takes its exact counts', () => {
    const state = transition(started(), { type: 'listing-progress', found: 10, skipped: 0, newFolders: 0, folderDone: true }, t1);
    assert.equal(complete(state, exact({ found: 10, done: 9, foldersPending: 0 }), t1), undefined, 'one file still pending');
    assert.equal(complete(state, exact({ found: 10, done: 10, foldersPending: 1 }), t1), undefined, 'a folder still listing');
    const ok = complete(state, exact({ found: 10, done: 10, bytes: 10 }), t1);
    assert.equal(ok?.status, 'completed');
    assert.equal(ok?.finishedAt, t1);
    const withErrors = complete(state, exact({ found: 12, done: 9, failed: 1, skipped: 2 }), t1);
    assert.equal(withErrors?.status, 'completed_with_errors');
    assert.equal(withErrors?.found, 12, 'the exact counts replace what duplicated events added up to');
  });

  test('cancel ends a running job; events that arrive later change nothing', () => {
    let state = transition(started(), { type: 'listing-progress', found: 5, skipped: 0, newFolders: 0, folderDone: false }, t1);
    state = transition(state, { type: 'cancel' }, t1);
    assert.equal(state.status, 'cancelled');
    assert.equal(transition(state, { type: 'batch-done', done: 5, failed: 0, skipped: 0, bytes: 1 }, t1), state);
    assert.equal(transition(state, { type: 'listing-progress', found: 5, skipped: 0, newFolders: 1, folderDone: true }, t1), state);
    assert.equal(complete(state, exact({ found: 5, done: 5 }), t1), undefined);
    assert.throws(() => transition(state, { type: 'cancel' }, t1), /already ended \(cancelled\)/);
  });

  test('fail records why the job failed', () => {
    const state = transition(started(), { type: 'fail', error: 'the Google API key was refused' }, t1);
    assert.equal(state.status, 'failed');
    assert.equal(state.error, 'the Google API key was refused');
    assert.equal(state.finishedAt, t1);
  });

  test('reconcile replaces the counters with the ledger counts', () => {
    let state = transition(started(), { type: 'listing-progress', found: 10, skipped: 0, newFolders: 0, folderDone: true }, t1);
    state = transition(state, { type: 'listing-progress', found: 10, skipped: 0, newFolders: 0, folderDone: true }, t1);
    assert.equal(state.found, 20, 'a redelivered event counted twice');
    state = transition(state, { type: 'reconcile', counts: exact({ found: 10, done: 4, bytes: 400 }) }, t1);
    assert.deepEqual([state.found, state.done, state.bytes, state.foldersPending], [10, 4, 400, 0]);
  });

  test('retry reopens a job that completed with errors, and nothing else', () => {
    const listed = transition(started(), { type: 'listing-progress', found: 3, skipped: 0, newFolders: 0, folderDone: true }, t1);
    const ended = complete(listed, exact({ found: 3, done: 2, failed: 1 }), t1);
    assert.ok(ended);
    const reopened = transition(ended, { type: 'retry-failed', files: 1 }, t1);
    assert.deepEqual([reopened.status, reopened.failed, reopened.finishedAt], ['running', 0, null]);
    assert.throws(() => transition(listed, { type: 'retry-failed', files: 1 }, t1), /only a job that completed with errors/);
  });
});
