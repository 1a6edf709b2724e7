import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBodyFault, isTransportFault } from './transport-faults.js';

test('the shared kinds are told from an emulator\'s own, and body faults from the others', () => {
  assert.deepEqual(['reset', 'delay', 'resetMidBody', 'corrupt', 'error', 'rateLimit'].map((type) => isTransportFault({ type })), [true, true, true, true, false, false]);
  assert.deepEqual([isBodyFault({ type: 'resetMidBody' }), isBodyFault({ type: 'corrupt' }), isBodyFault({ type: 'reset' }), isBodyFault({ type: 'delay', ms: 1 })], [true, true, false, false]);
});
