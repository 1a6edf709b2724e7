import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { AppId, DaprApiConfigName, DaprConfigName } from './dapr-names.js';
import { accessControlOperations } from './public-api.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

interface Configuration {
  metadata: { name: string };
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

const clusterNamespace = (read('k8s/namespace.yaml') as unknown as { metadata: { name: string } }).metadata.name;

/**
 * Every copy of the two Configurations: the local run's, Compose's and the cluster's. A self-hosted sidecar without
 * NAMESPACE is in `default`; in the cluster, web's sidecar is in the namespace the Kustomize tree deploys to. Sentry
 * reads `mtls` from the file when self-hosted; in the cluster the Helm chart's control-plane configuration holds it.
 */
const copies = [
  { api: 'dapr/api-config.yaml', others: 'dapr/config.yaml', namespace: 'default', mtlsInFile: true },
  { api: 'compose/api-config.yaml', others: 'compose/config.yaml', namespace: 'default', mtlsInFile: true },
  { api: 'k8s/components/api-configuration.yaml', others: 'k8s/components/configuration.yaml', namespace: clusterNamespace, mtlsInFile: false },
];

describe('access control in every copy of the Configurations', () => {
  for (const copy of copies) {
    test(`${copy.api}: web may invoke the public route table's operations, with their methods only`, () => {
      const { metadata, spec } = read(copy.api);
      assert.equal(metadata.name, DaprApiConfigName);
      if (copy.mtlsInFile) assert.equal(spec.mtls?.enabled, true, 'access control knows callers only by their mTLS identity');
      assert.equal(spec.accessControl?.defaultAction, 'deny');
      const policies = spec.accessControl?.policies ?? [];
      assert.deepEqual(policies.map((p) => p.appId), [AppId.web], 'no other app may call api');
      const [web] = policies;
      assert.equal(web?.defaultAction, 'deny');
      assert.equal(web?.trustDomain, spec.accessControl?.trustDomain);
      assert.equal(web?.namespace, copy.namespace, "the namespace web's sidecar runs in");
      assert.ok(web?.operations.every((o) => o.action === 'allow'));
      assert.deepEqual(web?.operations.map(({ name, httpVerb }) => ({ name, httpVerb: [...httpVerb].sort() })), accessControlOperations(), 'npm run access-control writes them');
    });

    test(`${copy.others}: nobody may invoke lister, transfer or web`, () => {
      const { metadata, spec } = read(copy.others);
      assert.equal(metadata.name, DaprConfigName);
      if (copy.mtlsInFile) assert.equal(spec.mtls?.enabled, true);
      assert.equal(spec.accessControl?.defaultAction, 'deny');
      assert.equal(spec.accessControl?.trustDomain, read(copy.api).spec.accessControl?.trustDomain, 'one trust domain for all apps');
      assert.deepEqual(spec.accessControl?.policies ?? [], []);
    });
  }

  test('the Kustomize tree deploys to the namespace k8s/namespace.yaml creates', () => {
    const kustomization = parse(readFileSync(join(repo, 'k8s/kustomization.yaml'), 'utf8')) as { namespace: string };
    assert.equal(kustomization.namespace, clusterNamespace);
  });
});
