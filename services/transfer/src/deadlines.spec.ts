import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { parse } from 'yaml';
import { loadTransferConfig } from './config.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const readYaml = (path: string) => parse(readFileSync(`${repo}${path}`, 'utf8')) as Record<string, unknown>;

/** A Go duration as daprd reads it ("6m", "90s", "1h30m", "500ms"), in milliseconds. */
function goDuration(text: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  assert.ok(parts.length && parts.map((p) => p[0]).join('') === text, `"${text}" is a duration`);
  return parts.reduce((sum, [, value, unit]) => sum + Number(value) * (units[unit ?? ''] ?? NaN), 0);
}

/** The timeout daprd gives one delivery from the pubsub component to an app. */
function deliveryTimeout(path: string): number {
  const spec = readYaml(path).spec as { policies: { timeouts: Record<string, string> }; targets: { components: { pubsub: { inbound: { timeout: string } } } } };
  const policy = spec.targets.components.pubsub.inbound.timeout;
  const value = spec.policies.timeouts[policy] ?? policy;
  return goDuration(value);
}

/** A duration of the Redis Streams component: processingTimeout, how long a read message stays with its consumer; redeliverInterval, how often that is checked. */
function redisDuration(path: string, name: 'processingTimeout' | 'redeliverInterval'): number {
  const metadata = (readYaml(path).spec as { metadata: { name: string; value?: string }[] }).metadata;
  const value = metadata.find((m) => m.name === name)?.value;
  assert.ok(value, `${path} sets ${name}`);
  return goDuration(value);
}

const resiliency = ['dapr/resiliency.yaml', 'k8s/components/resiliency.yaml'];
const redis = ['components/pubsub-redis/pubsub.yaml', 'compose/components/pubsub-redis/pubsub.yaml', 'k8s/components/pubsub.yaml'];

test("download deadline < batch deadline < daprd delivery timeout; a dead replica's work moves on within 30 s, in every deployment", () => {
  const config = loadTransferConfig({ DAPR_API_TOKEN: 'a-spec-token-of-32-characters-00', APP_API_TOKEN: 'a-spec-token-of-32-characters-01' });
  const deliveries = resiliency.map(deliveryTimeout);
  const claims = redis.map((path) => redisDuration(path, 'processingTimeout') + redisDuration(path, 'redeliverInterval'));
  assert.equal(new Set(deliveries).size, 1, `${resiliency.join(', ')} give one delivery timeout: ${deliveries.join(', ')} ms`);
  assert.equal(new Set(claims).size, 1, `${redis.join(', ')} give one processingTimeout: ${claims.join(', ')} ms`);
  const [delivery = 0] = deliveries;
  const [claim = 0] = claims;

  assert.ok(config.download.idleTimeoutMs <= config.download.timeoutMs, 'idle timeout within the download deadline');
  assert.ok(config.download.timeoutMs < config.batchTimeoutMs, `download ${config.download.timeoutMs} ms < batch ${config.batchTimeoutMs} ms`);
  // After the batch deadline the handler still records outcomes and publishes batch-done: room for that before daprd gives up.
  assert.ok(config.batchTimeoutMs + 30_000 <= delivery, `batch ${config.batchTimeoutMs} ms + 30 s <= batchDelivery ${delivery} ms`);
  // What a dead sidecar had read waits for Redis to hand it on; what its app had claimed waits for the lease and the reaper.
  assert.ok(claim <= 30_000, `processingTimeout + redeliverInterval ${claim} ms <= 30 s`);
  assert.ok(config.worker.renewIntervalMs * 2 < config.worker.lease.ttlMs, 'two renewals may fail before a live lease expires');
  assert.ok(config.worker.shutdownGraceMs + 5_000 <= 30_000, 'a drain ends within Kubernetes\' 30 s grace period');
  assert.ok(config.previewTimeoutMs < delivery, 'a preview ends before its image-stored delivery times out');
});

test('Go durations read as daprd reads them', () => {
  assert.deepEqual(['6m', '10m', '90s', '1h30m', '500ms', '2.5s'].map(goDuration), [360_000, 600_000, 90_000, 5_400_000, 500, 2_500]);
});
