import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SOURCE_ENTRIES } from '@importer/contracts';
import { ApiEnvSchema, loadApiConfig } from '../config.js';

const TOKENS = { DAPR_API_TOKEN: 'dapr-token-of-the-spec', APP_API_TOKEN: 'app-token-of-the-spec' };

test("every catalogue entry's rate setting is one the api reads, with a default", () => {
  const defaults = ApiEnvSchema.parse(TOKENS) as Record<string, unknown>;
  for (const { kind, rateSetting } of SOURCE_ENTRIES) {
    assert.ok(rateSetting in ApiEnvSchema.shape, `${kind}: ApiEnvSchema has no ${rateSetting}`);
    const rate = defaults[rateSetting];
    assert.ok(typeof rate === 'number' && rate > 0, `${kind}: ${rateSetting} defaults to ${String(rate)}`);
  }
});

test('each source leases at the rate of the setting its entry names, not another source\'s', () => {
  const env = { ...TOKENS, ...Object.fromEntries(SOURCE_ENTRIES.map(({ rateSetting }, i) => [rateSetting, String(7 + i)])) };
  const rates = loadApiConfig(env).requestsPerSecond;
  assert.deepEqual(
    SOURCE_ENTRIES.map(({ kind }) => rates[kind]),
    SOURCE_ENTRIES.map((_, i) => 7 + i),
  );
});
