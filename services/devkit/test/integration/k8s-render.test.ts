import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BlockList, isIPv6 } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { AppId, accessControlOperations, ComponentName, DaprApiConfigName, DaprConfigName } from '@importer/contracts';
import { devkitConfig } from '../../src/config.js';

/*
 * k8s/ as `kubectl apply -k k8s/` would apply it, rendered by the kustomize the bootstrap builds
 * (scripts/bootstrap/go-binaries.sh), and read back: who may reach whom under the NetworkPolicies, access
 * control in the two Dapr Configurations, the token wiring of every app, the components' scopes, no Secret.
 */

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}
interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface PolicyPort {
  protocol?: string;
  port?: number | string;
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: PolicyPort[];
}
interface NetworkPolicy {
  podSelector: Selector;
  policyTypes: ('Ingress' | 'Egress')[];
  ingress?: Rule[];
  egress?: Rule[];
}
interface Container {
  name: string;
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
}
interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: { containers: Container[]; automountServiceAccountToken?: boolean };
}
interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  scopes?: string[];
}

const kustomize = join(devkitConfig.toolsBin, 'kustomize');
assert.ok(existsSync(kustomize), `${kustomize} is missing: run \`npm run bootstrap\` (scripts/bootstrap/go-binaries.sh builds it)`);
const rendered = parseAllDocuments(execFileSync(kustomize, ['build', join(devkitConfig.repoRoot, 'k8s')], { encoding: 'utf8' })).map(
  (doc) => doc.toJS() as Resource,
);
const ofKind = (kind: string) => rendered.filter((r) => r.kind === kind);
const named = (kind: string, name: string) => {
  const found = ofKind(kind).find((r) => r.metadata.name === name);
  assert.ok(found, `k8s/ renders ${kind} ${name}`);
  return found;
};

const namespace = ofKind('Namespace')[0]?.metadata.name ?? '';
const policies = ofKind('NetworkPolicy').map((r) => ({ name: r.metadata.name, spec: r.spec as unknown as NetworkPolicy }));
const apps = [AppId.api, AppId.lister, AppId.transfer, AppId.web] as const;
const templateOf = (kind: string, name: string) => named(kind, name).spec?.template as PodTemplate;

// ---- a NetworkPolicy evaluator: enough of the API's semantics for these policies ------------------------------------

/** A pod or an address that traffic comes from or goes to. */
interface Endpoint {
  namespace?: string;
  labels?: Record<string, string>;
  containers?: Container[];
  ip?: string;
}

function selects(selector: Selector, labels: Record<string, string>): boolean {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpression = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    const value = labels[key];
    if (operator === 'In') return value !== undefined && values.includes(value);
    if (operator === 'NotIn') return value === undefined || !values.includes(value);
    return operator === 'Exists' ? value !== undefined : value === undefined;
  });
  return byLabel && byExpression;
}

function inBlock(ip: string, block: { cidr: string; except?: string[] }): boolean {
  const family = isIPv6(ip) ? 'ipv6' : 'ipv4';
  const list = (cidrs: string[]) => {
    const blocks = new BlockList();
    for (const cidr of cidrs) {
      const [address = '', prefix = ''] = cidr.split('/');
      if (isIPv6(address) === (family === 'ipv6')) blocks.addSubnet(address, Number(prefix), family);
    }
    return blocks;
  };
  return list([block.cidr]).check(ip, family) && !list(block.except ?? []).check(ip, family);
}

function peerMatches(peer: Peer, endpoint: Endpoint): boolean {
  if (peer.ipBlock) return endpoint.ip !== undefined && inBlock(endpoint.ip, peer.ipBlock);
  if (endpoint.labels === undefined) return false;
  const namespaceLabels = { 'kubernetes.io/metadata.name': endpoint.namespace ?? '' };
  const namespaceOk = peer.namespaceSelector ? selects(peer.namespaceSelector, namespaceLabels) : endpoint.namespace === namespace;
  return namespaceOk && selects(peer.podSelector ?? {}, endpoint.labels);
}

/** Whether a rule's ports admit `port`; a named port is looked up in the destination pod's containers. */
function portMatches(ports: PolicyPort[] | undefined, port: number, protocol: string, destination: Endpoint): boolean {
  if (!ports?.length) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number') return p.port === port;
    return (destination.containers ?? []).some((c) => c.ports?.some((cp) => cp.name === p.port && cp.containerPort === port));
  });
}

function allowed(direction: 'Ingress' | 'Egress', self: Endpoint, other: Endpoint, port: number, protocol: string, destination: Endpoint): boolean {
  if (self.namespace !== namespace || self.labels === undefined) return true;
  const applying = policies.filter((p) => p.spec.policyTypes.includes(direction) && selects(p.spec.podSelector, self.labels ?? {}));
  if (applying.length === 0) return true;
  return applying.some(({ spec }) =>
    (direction === 'Ingress' ? spec.ingress : spec.egress)?.some((rule) => {
      const peers = direction === 'Ingress' ? rule.from : rule.to;
      return (!peers?.length || peers.some((peer) => peerMatches(peer, other))) && portMatches(rule.ports, port, protocol, destination);
    }),
  );
}

/** Whether `from` may open a connection to `to` on `port`: its egress and the other's ingress both allow it. */
function reaches(from: Endpoint, to: Endpoint, port: number, protocol = 'TCP'): boolean {
  return allowed('Egress', from, to, port, protocol, to) && allowed('Ingress', to, from, port, protocol, to);
}

const pod = (name: string): Endpoint => {
  const template = templateOf(name === 'migrate' ? 'Job' : 'Deployment', name);
  return { namespace, labels: template.metadata.labels, containers: template.spec.containers };
};
const outside = (ns: string, labels: Record<string, string>): Endpoint => ({ namespace: ns, labels });
const address = (ip: string): Endpoint => ({ ip });
const appPods = Object.fromEntries(apps.map((app) => [app, pod(app)])) as Record<(typeof apps)[number], Endpoint>;
const migrate = pod('migrate');
const appPort = (app: string) => pod(app).containers?.[0]?.ports?.find((p) => p.name === 'http')?.containerPort ?? 0;
/** Every port an app pod listens on: its own, and daprd's HTTP, gRPC, internal gRPC and metrics. */
const podPorts = (app: string) => [appPort(app), 3500, 50001, 50002, 9090];

// ---- the tests ------------------------------------------------------------------------------------------------------

describe('k8s/ rendered by kustomize', () => {
  test('everything lands in the namespace k8s/namespace.yaml creates', () => {
    assert.equal(namespace, 'image-importer');
    for (const resource of rendered.filter((r) => r.kind !== 'Namespace')) assert.equal(resource.metadata.namespace, namespace, `${resource.kind} ${resource.metadata.name}`);
  });

  test('no Secret is rendered: every credential is created by the operator, outside the repository', () => {
    assert.deepEqual(ofKind('Secret').map((s) => s.metadata.name), []);
    for (const resource of rendered) assert.ok(!resource.stringData && !(resource.kind !== 'ConfigMap' && resource.data), `${resource.kind} ${resource.metadata.name} carries data`);
    const settings = ofKind('ConfigMap').flatMap((c) => Object.keys(c.data ?? {}));
    for (const key of settings) assert.doesNotMatch(key, /PASSWORD|SECRET|TOKEN|ACCESS_KEY/, `ConfigMap key ${key}`);
  });

  test('a default deny covers ingress and egress of every pod in the namespace', () => {
    const deny = policies.find((p) => p.name === 'default-deny')?.spec;
    assert.deepEqual(deny, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test("inside the namespace only the sidecars of web, lister, transfer and api reach api's sidecar, on the daprd-to-daprd port", () => {
    const wanted = new Set([`${AppId.web}>${AppId.api}:50002`, `${AppId.lister}>${AppId.api}:50002`, `${AppId.transfer}>${AppId.api}:50002`, `${AppId.api}>${AppId.api}:50002`]);
    const found = new Set<string>();
    for (const from of [...apps, 'migrate']) {
      for (const to of apps) {
        for (const port of podPorts(to)) if (reaches(from === 'migrate' ? migrate : appPods[from as (typeof apps)[number]], appPods[to], port)) found.add(`${from}>${to}:${port}`);
      }
    }
    assert.deepEqual([...found].sort(), [...wanted].sort());
  });

  test("from outside, the ingress controller reaches web's port only, and Prometheus the metrics ports only", () => {
    const nginx = outside('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' });
    const prometheus = outside('monitoring', { 'app.kubernetes.io/name': 'prometheus' });
    for (const app of apps) {
      for (const port of podPorts(app)) {
        assert.equal(reaches(nginx, appPods[app], port), app === AppId.web && port === appPort(AppId.web), `ingress-nginx -> ${app}:${port}`);
        assert.equal(reaches(prometheus, appPods[app], port), port === appPort(app) || port === 9090, `prometheus -> ${app}:${port}`);
        assert.ok(!reaches(outside('default', { app: 'anything' }), appPods[app], port), `another namespace -> ${app}:${port}`);
        assert.ok(!reaches(address('203.0.113.7'), appPods[app], port), `the internet -> ${app}:${port}`);
      }
    }
  });

  test('every app pod reaches the Dapr control plane on its ports, and every pod the cluster DNS', () => {
    const controlPlane = { 'dapr-sentry': 50001, 'dapr-operator': 6500, 'dapr-placement-server': 50005, 'dapr-scheduler-server': 50006 };
    for (const app of apps) {
      for (const [name, port] of Object.entries(controlPlane)) {
        assert.ok(reaches(appPods[app], outside('dapr-system', { app: name }), port), `${app} -> ${name}:${port}`);
        assert.ok(!reaches(appPods[app], outside('dapr-system', { app: name }), port + 1), `${app} -> ${name}:${port + 1}`);
      }
      assert.ok(!reaches(appPods[app], outside('dapr-system', { app: 'dapr-sidecar-injector' }), 4000), `${app} -> the injector`);
    }
    const dns = outside('kube-system', { 'k8s-app': 'kube-dns' });
    for (const from of [...Object.values(appPods), migrate]) {
      assert.ok(reaches(from, dns, 53, 'UDP') && reaches(from, dns, 53, 'TCP'));
      assert.ok(!reaches(from, outside('kube-system', { component: 'kube-apiserver' }), 443), 'nothing calls the Kubernetes API');
    }
    assert.ok(!reaches(migrate, outside('dapr-system', { app: 'dapr-sentry' }), 50001), 'the migration has no sidecar');
  });

  test('api, lister and transfer reach the stores and the public internet on 80/443; web reaches neither', () => {
    const store = address('10.20.30.40');
    const expected: Record<string, number[]> = {
      [AppId.api]: [5432, 6379, 5672, 9000],
      [AppId.lister]: [5432, 6379, 5672],
      [AppId.transfer]: [5432, 6379, 5672, 9000],
      [AppId.web]: [],
    };
    for (const app of apps) {
      for (const port of [5432, 6379, 5672, 9000]) assert.equal(reaches(appPods[app], store, port), expected[app]?.includes(port), `${app} -> store:${port}`);
      const outbound = app !== AppId.web;
      for (const ip of ['203.0.113.7', '2001:db8::7']) {
        for (const port of [80, 443]) assert.equal(reaches(appPods[app], address(ip), port), outbound, `${app} -> ${ip}:${port}`);
        assert.ok(!reaches(appPods[app], address(ip), 22), `${app} -> ${ip}:22`);
      }
      for (const ip of ['10.0.0.1', '172.16.5.4', '192.168.1.1', '100.64.0.1', '169.254.169.254', '127.0.0.1', 'fd00::1', 'fe80::1']) {
        assert.ok(!reaches(appPods[app], address(ip), 443) && !reaches(appPods[app], address(ip), 80), `${app} -> ${ip}: a private address`);
      }
    }
    assert.ok(reaches(migrate, store, 5432) && !reaches(migrate, store, 6379) && !reaches(migrate, address('203.0.113.7'), 443), 'the migration reaches PostgreSQL only');
  });

  test('stores run in the namespace take the apps, the migration and KEDA, never web', () => {
    const redis = outside(namespace, { 'app.kubernetes.io/name': 'redis' });
    const postgres = outside(namespace, { 'app.kubernetes.io/name': 'postgresql' });
    for (const app of [AppId.api, AppId.lister, AppId.transfer]) assert.ok(reaches(appPods[app], redis, 6379) && reaches(appPods[app], postgres, 5432), app);
    assert.ok(!reaches(appPods.web, redis, 6379) && !reaches(appPods.web, postgres, 5432), 'web');
    assert.ok(reaches(migrate, postgres, 5432));
    assert.ok(reaches(outside('keda', { 'app.kubernetes.io/name': 'keda-operator' }), redis, 6379), 'KEDA reads the streams');
    assert.ok(!reaches(outside('keda', { 'app.kubernetes.io/name': 'keda-operator' }), postgres, 5432));
  });

  test("the sidecars send traces to the collector that the Configurations name", () => {
    for (const name of [DaprConfigName, DaprApiConfigName]) {
      const endpoint = ((named('Configuration', name).spec?.tracing as { otel: { endpointAddress: string } }).otel.endpointAddress);
      const [host = '', port = ''] = endpoint.split(':');
      const [, collectorNamespace = ''] = host.split('.');
      for (const app of apps) assert.ok(reaches(appPods[app], outside(collectorNamespace, { 'app.kubernetes.io/name': 'opentelemetry-collector' }), Number(port)), `${app} -> ${endpoint}`);
    }
  });

  test('access control: web is the only caller of api, for the public route table; nobody calls the others', () => {
    type AccessControl = { defaultAction: string; trustDomain: string; policies?: { appId: string; namespace: string; trustDomain: string; defaultAction: string; operations: { name: string; httpVerb: string[]; action: string }[] }[] };
    const api = named('Configuration', DaprApiConfigName).spec?.accessControl as AccessControl;
    assert.equal(api.defaultAction, 'deny');
    assert.deepEqual(api.policies?.map((p) => [p.appId, p.namespace, p.trustDomain, p.defaultAction]), [[AppId.web, namespace, api.trustDomain, 'deny']]);
    const operations = api.policies?.[0]?.operations ?? [];
    assert.ok(operations.every((o) => o.action === 'allow'));
    assert.deepEqual(operations.map(({ name, httpVerb }) => ({ name, httpVerb: [...httpVerb].sort() })), accessControlOperations());
    const others = named('Configuration', DaprConfigName).spec?.accessControl as AccessControl;
    assert.deepEqual(others, { defaultAction: 'deny', trustDomain: api.trustDomain });
  });

  test('every app Deployment: its Configuration, its own token Secrets for sidecar and app, no Kubernetes API token', () => {
    const secretNames = new Set<string>();
    for (const app of apps) {
      const template = templateOf('Deployment', app);
      const annotations = template.metadata.annotations ?? {};
      assert.equal(annotations['dapr.io/config'], app === AppId.api ? DaprApiConfigName : DaprConfigName, app);
      assert.equal(annotations['dapr.io/disable-builtin-k8s-secret-store'], 'true', app);
      assert.equal(template.spec.automountServiceAccountToken, false, app);
      const container = template.spec.containers.find((c) => c.name === app);
      for (const [annotation, variable] of [['dapr.io/api-token-secret', 'DAPR_API_TOKEN'], ['dapr.io/app-token-secret', 'APP_API_TOKEN']] as const) {
        const secret = annotations[annotation];
        assert.match(secret ?? '', new RegExp(`^importer-${app}-`), `${app}: ${annotation}`);
        assert.deepEqual(container?.env?.find((e) => e.name === variable)?.valueFrom?.secretKeyRef, { name: secret, key: 'token' }, `${app}: ${variable}`);
        assert.ok(!secretNames.has(secret ?? ''), `${secret} serves one app and one direction`);
        secretNames.add(secret ?? '');
      }
    }
    assert.equal(templateOf('Job', 'migrate').spec.automountServiceAccountToken, false);
  });

  test("component scopes: web's sidecar gets no component at all", () => {
    const components = ofKind('Component');
    assert.deepEqual(components.map((c) => c.metadata.name).sort(), Object.values(ComponentName).sort());
    for (const component of components) {
      assert.ok(component.scopes?.length, `${component.metadata.name} is scoped`);
      assert.ok(!component.scopes.includes(AppId.web), `${component.metadata.name} is not loaded by web`);
    }
    const envFromSecret = templateOf('Deployment', AppId.web).metadata.annotations?.['dapr.io/env-from-secret'];
    assert.equal(envFromSecret, undefined, "web's sidecar holds no store credentials");
  });
});
