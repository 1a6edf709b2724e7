import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchDoneTopic, filesFoundTopic, listRequestedTopic } from '@importer/contracts';
import { RecordingPublisher } from './recording.publisher.js';

const jobId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const progress = { jobId, processedFiles: 1, failedFiles: 0, skippedFiles: 0, bytes: 1 };

test('what each topic received is kept apart', async () => {
  const publisher = new RecordingPublisher([batchDoneTopic, listRequestedTopic]);
  await publisher.publish(batchDoneTopic, progress);
  await publisher.publishMany(batchDoneTopic, [progress, progress]);
  assert.deepEqual(publisher.on(batchDoneTopic), [progress, progress, progress]);
  assert.deepEqual(publisher.on(listRequestedTopic), []);
  assert.equal(publisher.count(), 3);
  publisher.clear();
  assert.equal(publisher.count(), 0);
});

test('a topic the publisher was not built with is refused, so a misrouted message fails the spec', async () => {
  const publisher = new RecordingPublisher([batchDoneTopic]);
  await assert.rejects(publisher.publishMany(filesFoundTopic, [{ jobId, source: 'url', files: [] }]), /published to files-found, which this publisher does not expect/);
});

test('a message its topic schema refuses is refused, as the real publisher refuses it', async () => {
  const publisher = new RecordingPublisher([batchDoneTopic]);
  await assert.rejects(publisher.publish(batchDoneTopic, { ...progress, jobId: 'not-a-uuid' }));
  assert.equal(publisher.count(), 0);
});
