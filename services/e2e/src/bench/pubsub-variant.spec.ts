import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { devkitConfig } from '@importer/devkit';
import { withReadAhead } from './pubsub-variant.js';

const component = readFileSync(join(devkitConfig.repoRoot, 'components', 'pubsub-redis', 'pubsub.yaml'), 'utf8');

test('the Redis component gets the read-ahead asked for, and nothing else changes', () => {
  const tuned = withReadAhead(component, { queueDepth: 1, concurrency: 2 });
  assert.match(tuned, /- name: queueDepth\n\s+value: "1"\n/);
  assert.match(tuned, /- name: concurrency\n\s+value: "2"\n/);
  const differing = tuned.split('\n').filter((line, i) => line !== component.split('\n')[i]);
  assert.deepEqual(differing.map((line) => line.trim()), ['value: "1"', 'value: "2"']);
});

test('a component without the keys is refused rather than run untuned', () => {
  assert.throws(() => withReadAhead('metadata:\n  - name: redisHost\n    value: "x"\n', { queueDepth: 1, concurrency: 2 }), /no queueDepth/);
});
