import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { readReminderPayload, reminderPayload } from './reminder-payload.js';

const Schema = z.object({ jobId: z.string(), round: z.number() });

test('reminder state survives as a JSON string and is read back typed', () => {
  const payload = reminderPayload({ jobId: 'j1', round: 2 });
  assert.equal(typeof payload, 'string');
  assert.deepEqual(readReminderPayload(Schema, payload), { jobId: 'j1', round: 2 });
  assert.deepEqual(readReminderPayload(Schema, { jobId: 'j1', round: 2 }), { jobId: 'j1', round: 2 });
});

test('what the SDK makes of an object payload is rejected, not silently used', () => {
  assert.throws(() => readReminderPayload(Schema, '[object Object]'), SyntaxError);
  assert.throws(() => readReminderPayload(Schema, { jobId: 'j1' }), z.ZodError);
});
