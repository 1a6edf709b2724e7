import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { devkitConfig } from './config.js';
import { placementAddress, schedulerAddress } from './local-platform.js';
import { readRunFile } from './run-file.js';

test('dapr/dapr.yaml resolves to folders that exist and to the local control plane', () => {
  const file = readRunFile(join(devkitConfig.repoRoot, 'dapr', 'dapr.yaml'));
  for (const path of [...file.common.resourcesPaths, file.common.configFilePath, ...file.apps.map((a) => a.appDirPath)]) {
    assert.ok(existsSync(path), `${path} exists`);
  }
  assert.equal(file.common.placementHostAddress, placementAddress());
  assert.equal(file.common.schedulerHostAddress, schedulerAddress());
  assert.ok(file.common.resourcesPaths.some((p) => p.endsWith(join('components', 'pubsub-redis'))), 'Redis Streams is the default broker');
});

test('a key the launcher would not honour is refused with its name, not ignored', () => {
  const dir = mkdtempSync(join(tmpdir(), 'run-file-'));
  const path = join(dir, 'dapr.yaml');
  writeFileSync(
    path,
    [
      'version: 1',
      'common: { resourcesPaths: [x], configFilePath: c.yaml, appProtocol: http, placementHostAddress: a, schedulerHostAddress: b, maxBodySize: 4Mi, logLevel: info, enableProfiling: true }',
      'apps: [{ appID: api, appDirPath: ., command: [node] }]',
    ].join('\n'),
  );
  assert.throws(() => readRunFile(path), /enableProfiling/);
});

test('replicas is the launcher\'s own key: a whole number of at least 1, absent meaning 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'run-file-'));
  const path = join(dir, 'dapr.yaml');
  const common = 'common: { resourcesPaths: [x], configFilePath: c.yaml, appProtocol: http, placementHostAddress: a, schedulerHostAddress: b, maxBodySize: 4Mi, logLevel: info }';
  writeFileSync(path, ['version: 1', common, 'apps: [{ appID: api, appDirPath: ., command: [node], replicas: 3 }, { appID: web, appDirPath: ., command: [node] }]'].join('\n'));
  assert.deepEqual(readRunFile(path).apps.map((a) => a.replicas), [3, undefined]);
  writeFileSync(path, ['version: 1', common, 'apps: [{ appID: api, appDirPath: ., command: [node], replicas: 0 }]'].join('\n'));
  assert.throws(() => readRunFile(path), /replicas/);
});
