import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { parse } from 'yaml';
import { AppId } from './dapr-names.js';
import { accessControlOperations } from './public-api.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

interface Configuration {
  spec: {
    mtls?: { enabled?: boolean };
    accessControl?: {
      defaultAction?: string;
      trustDomain?: string;
      policies?: { appId: string; defaultAction: string; trustDomain: string; namespace: string; operations: { name: string; httpVerb: string[]; action: string }[] }[];
    };
  };
}

const read = (file: string) => parse(readFileSync(join(repo, file), 'utf8')) as Configuration;

test("api's configuration lets web invoke the public route table's operations, with their methods only", () => {
  const { spec } = read('dapr/api-config.yaml');
  assert.equal(spec.mtls?.enabled, true, 'access control knows callers only by their mTLS identity');
  assert.equal(spec.accessControl?.defaultAction, 'deny');
  const policies = spec.accessControl?.policies ?? [];
  assert.deepEqual(policies.map((p) => p.appId), [AppId.web], 'no other app may call api');
  const [web] = policies;
  assert.equal(web?.defaultAction, 'deny');
  assert.equal(web?.trustDomain, spec.accessControl?.trustDomain);
  assert.ok(web?.operations.every((o) => o.action === 'allow'));
  assert.deepEqual(web?.operations.map(({ name, httpVerb }) => ({ name, httpVerb: [...httpVerb].sort() })), accessControlOperations());
});

test('the configuration of lister, transfer and web lets nobody invoke them', () => {
  const { spec } = read('dapr/config.yaml');
  assert.equal(spec.mtls?.enabled, true);
  assert.equal(spec.accessControl?.defaultAction, 'deny');
  assert.deepEqual(spec.accessControl?.policies ?? [], []);
});
