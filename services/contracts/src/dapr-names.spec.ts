import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { parse } from 'yaml';
import { AppId, ComponentName, DaprApiConfigName, DaprConfigName, ResiliencyName } from './dapr-names.js';
import { SIDECAR_MAX_BODY_MB } from './limits.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

interface Resource {
  kind: string;
  metadata: { name: string };
  spec: { type?: string; targets?: { components?: Record<string, unknown> } };
  scopes?: string[];
}

function resourcesIn(folder: string): Resource[] {
  const dir = join(repo, folder);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => parse(readFileSync(join(dir, file), 'utf8')) as Resource)
    .filter((doc) => typeof doc?.kind === 'string');
}

const componentNames = new Set<string>(Object.values(ComponentName));
const appIds = new Set<string>(Object.values(AppId));

test('every component file declares a name and scopes that are constants in dapr-names.ts', () => {
  const folders = readdirSync(join(repo, 'components'), { withFileTypes: true }).filter((d) => d.isDirectory());
  assert.ok(folders.length > 0);
  for (const folder of folders) {
    for (const resource of resourcesIn(join('components', folder.name))) {
      assert.ok(componentNames.has(resource.metadata.name), `${folder.name}: unknown component name ${resource.metadata.name}`);
      assert.ok(resource.scopes?.length, `${folder.name}/${resource.metadata.name} sets scopes`);
      for (const scope of resource.scopes ?? []) assert.ok(appIds.has(scope), `${resource.metadata.name}: unknown app id ${scope}`);
    }
  }
});

test('each broker folder declares the same pub/sub component name, so swapping is a change of folder', () => {
  const redis = resourcesIn('components/pubsub-redis');
  const rabbit = resourcesIn('components/pubsub-rabbitmq');
  assert.deepEqual(redis.map((r) => [r.metadata.name, r.spec.type]), [[ComponentName.pubsub, 'pubsub.redis']]);
  assert.deepEqual(rabbit.map((r) => [r.metadata.name, r.spec.type]), [[ComponentName.pubsub, 'pubsub.rabbitmq']]);
});

test('every other component name is declared once in components/common', () => {
  const common = resourcesIn('components/common').map((r) => r.metadata.name).sort();
  assert.deepEqual(common, [ComponentName.actorState, ComponentName.imageStore, ComponentName.secretStore].sort());
});

test('dapr/ declares the configuration and resiliency names, and resiliency targets known components', () => {
  const resources = resourcesIn('dapr');
  assert.deepEqual(resources.filter((r) => r.kind === 'Configuration').map((r) => r.metadata.name).sort(), [DaprApiConfigName, DaprConfigName]);
  const resiliency = resources.find((r) => r.kind === 'Resiliency');
  assert.equal(resiliency?.metadata.name, ResiliencyName);
  for (const target of Object.keys(resiliency?.spec.targets?.components ?? {})) {
    assert.ok(componentNames.has(target), `resiliency targets unknown component ${target}`);
  }
});

test('the run file uses known app ids and the sidecar body limit of limits.ts', () => {
  const runFile = parse(readFileSync(join(repo, 'dapr/dapr.yaml'), 'utf8')) as {
    common: { maxBodySize: string; configFilePath: string };
    apps: { appID: string; maxBodySize?: string }[];
  };
  assert.equal(runFile.common.maxBodySize, `${SIDECAR_MAX_BODY_MB}Mi`);
  assert.ok(runFile.apps.length > 0);
  for (const app of runFile.apps) {
    assert.ok(appIds.has(app.appID), `unknown app id ${app.appID}`);
    assert.equal(app.maxBodySize ?? runFile.common.maxBodySize, `${SIDECAR_MAX_BODY_MB}Mi`);
  }
});

test('the Kubernetes components use the same names, and the same resiliency policies as dapr/', () => {
  const cluster = resourcesIn('k8s/components');
  for (const resource of cluster.filter((r) => r.kind === 'Component')) {
    assert.ok(componentNames.has(resource.metadata.name), `k8s: unknown component name ${resource.metadata.name}`);
  }
  assert.deepEqual(
    cluster.filter((r) => r.kind === 'Component').map((r) => r.metadata.name).sort(),
    [...componentNames].sort(),
    'every component the services use is declared for the cluster',
  );
  const local = resourcesIn('dapr').find((r) => r.kind === 'Resiliency');
  const remote = cluster.find((r) => r.kind === 'Resiliency');
  assert.deepEqual(remote, local);
});
