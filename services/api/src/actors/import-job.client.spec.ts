import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IMPORT_JOB_ACTOR, type StartJob } from '@importer/contracts';
import { ImportJobClient } from './import-job.client.js';
import { type JobState, transition } from './import-job.state.js';

const jobId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const started = transition(undefined, { type: 'start', jobId, source: 'url', folderUrl: null, recursive: false, maxFiles: null }, '2026-01-01T00:00:00.000Z');
if (started.outcome !== 'applied') throw new Error(started.reason);
const job: JobState = started.state;

/** An invoker that answers `answer` and records each call. */
function client(answer: unknown) {
  const calls: { type: string; id: string; method: string; argument: unknown }[] = [];
  const jobs = new ImportJobClient({
    invoke: async <T>(type: string, id: string, method: string, argument?: unknown) => (calls.push({ type, id, method, argument }), answer as T),
  });
  return { jobs, calls };
}

test('calls go to the job actor by id, and answers come back parsed', async () => {
  const { jobs, calls } = client({ outcome: 'conflict', message: 'the job has already ended (cancelled)', job, extra: 'dropped' });
  const outcome = await jobs.cancel(jobId);
  assert.deepEqual(outcome, { outcome: 'conflict', message: 'the job has already ended (cancelled)', job });
  assert.deepEqual(calls, [{ type: IMPORT_JOB_ACTOR, id: jobId, method: 'cancel', argument: undefined }]);
});

test('a job that does not exist answers nothing, which is fine for a read and an error for start', async () => {
  assert.equal(await client(undefined).jobs.get(jobId), undefined);
  assert.equal(await client(undefined).jobs.batchDone({ jobId, processedFiles: 1, failedFiles: 0, skippedFiles: 0, bytes: 1 }), undefined);
  const spec: StartJob = { jobId, ownerId: '9b2d4c1e-0f3a-4b5c-8d6e-7f8091a2b3c4', maxFiles: null, source: 'url', folderUrl: null, root: { id: 'urls', path: '' }, recursive: false, webhookUrl: null };
  await assert.rejects(client(undefined).jobs.start(spec), /ImportJob\.start for .* answered what its schema refuses/);
});

test('an answer the schema refuses fails loudly instead of reaching the API as if it were a job', async () => {
  await assert.rejects(client({ ...job, status: 'paused' }).jobs.get(jobId), /ImportJob\.get/);
  await assert.rejects(client({ outcome: 'maybe', message: '', job }).jobs.retryFailed(jobId), /ImportJob\.retryFailed/);
});
