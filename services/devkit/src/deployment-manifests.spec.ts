import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { AppId, DaprConfigName, filesFoundTopic, listRequestedTopic } from '@importer/contracts';
import { devkitConfig } from './config.js';
import { readRunFile, type RunFileApp } from './run-file.js';

/*
 * Docker Compose, Kubernetes and the Dockerfiles against dapr/dapr.yaml: every app the run file starts must be
 * built, run and wired the same way everywhere (app id, ports, entry point, sidecar limits, components).
 * The apps come from the run file, so an app added there is checked here without touching this file.
 */

const repo = devkitConfig.repoRoot;
const read = (path: string) => readFileSync(join(repo, path), 'utf8');
const runFile = readRunFile(join(repo, 'dapr', 'dapr.yaml'));
const knownAppIds = new Set<string>(Object.values(AppId));
const daprVersion = /^DAPR_VERSION=(.+)$/m.exec(read('scripts/versions.env'))?.[1];

// ---- Dockerfiles ------------------------------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
}

/** A Dockerfile's stages, each a list of instructions (continuation lines joined, comments dropped). */
function dockerStages(path: string): Instruction[][] {
  const lines = read(path).replace(/\\\n/g, ' ').split('\n');
  const stages: Instruction[][] = [];
  for (const line of lines.map((l) => l.trim())) {
    if (!line || line.startsWith('#')) continue;
    const [keyword = '', ...rest] = line.split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    if (instruction.keyword === 'FROM') stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  return stages;
}

const all = (stage: Instruction[], keyword: string) => stage.filter((i) => i.keyword === keyword).map((i) => i.args);
const one = (stage: Instruction[], keyword: string) => all(stage, keyword).at(-1);

/** The `@importer/*` packages a workspace needs at run time: its dependencies, and theirs (not devDependencies). */
function runtimeWorkspaces(packageDir: string): string[] {
  const dirs = new Map<string, string>();
  for (const entry of readdirSync(join(repo, 'services'))) {
    const manifest = join(repo, 'services', entry, 'package.json');
    if (existsSync(manifest)) dirs.set((JSON.parse(readFileSync(manifest, 'utf8')) as { name: string }).name, `services/${entry}`);
  }
  const seen = new Set<string>();
  const visit = (dir: string) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const manifest = JSON.parse(read(`${dir}/package.json`)) as { dependencies?: Record<string, string> };
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      const dep = dirs.get(name);
      if (dep) visit(dep);
    }
  };
  visit(packageDir);
  return [...seen].sort();
}

const packageName = (dir: string) => (JSON.parse(read(`${dir}/package.json`)) as { name: string }).name;
const scriptOf = (command: readonly string[]) => command.find((arg) => arg.endsWith('.js'));

function checkDockerfile(dir: string, expected: { port?: number; script: string; command?: readonly string[] }) {
  const path = `${dir}/Dockerfile`;
  assert.ok(existsSync(join(repo, path)), `${path} exists`);
  const stages = dockerStages(path);
  assert.ok(stages.length >= 3, `${path} is multi-stage`);
  const runtime = stages.at(-1) ?? [];
  const nodeImage = /^NODE_IMAGE=(\S+)$/m.exec(read(path).replace(/^ARG /gm, ''))?.[1] ?? '';
  assert.match(nodeImage, /^node:24(-slim|-alpine)?$/, `${path}: a current Node LTS`);
  const deps = stages.find((s) => one(s, 'RUN')?.includes('--omit=dev'));
  assert.ok(deps, `${path}: a stage installs production dependencies only`);
  assert.match(one(deps, 'RUN') ?? '', new RegExp(`-w ${packageName(dir)}( |$)`), `${path}: production dependencies of ${packageName(dir)}`);
  const user = one(runtime, 'USER');
  assert.ok(user && !['root', '0'].includes(user), `${path}: runs as a non-root user`);
  assert.ok(one(runtime, 'HEALTHCHECK'), `${path}: declares HEALTHCHECK`);
  assert.equal(one(runtime, 'WORKDIR'), `/app/${dir}`, `${path}: runs in its package folder, as dapr/dapr.yaml does`);
  const cmd = JSON.parse(one(runtime, 'CMD') ?? '[]') as string[];
  assert.equal(cmd[0], 'node');
  assert.equal(scriptOf(cmd), expected.script, `${path}: CMD runs ${expected.script}`);
  if (expected.command) assert.deepEqual(cmd, expected.command, `${path}: CMD is the run file's command (same heap limits)`);
  const copied = all(runtime, 'COPY')
    .map((args) => /--from=build \/app\/(services\/[\w-]+)\/dist /.exec(args)?.[1])
    .filter((d): d is string => Boolean(d))
    .sort();
  assert.deepEqual(copied, runtimeWorkspaces(dir), `${path}: copies the compiled code of exactly the workspaces it imports`);
  if (expected.port !== undefined) {
    assert.equal(one(runtime, 'EXPOSE'), String(expected.port), `${path}: EXPOSE`);
    assert.match(one(runtime, 'ENV') ?? '', new RegExp(`(^| )APP_PORT=${expected.port}( |$)`), `${path}: APP_PORT`);
    assert.match(one(runtime, 'ENV') ?? '', /(^| )APP_HOST=0\.0\.0\.0( |$)/, `${path}: listens beyond loopback, for probes and scrapes`);
  }
}

// ---- Compose ------------------------------------------------------------------------------------------------------

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string | null>;
  volumes?: string[];
  network_mode?: string;
  ports?: string[];
  profiles?: string[];
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
const services = compose.services;

/** `${NAME:-default}` as Compose resolves it with nothing set. */
const withDefaults = (text: string) => text.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

function flag(command: readonly string[], name: string): string[] {
  return command.flatMap((arg, i) => (arg === name ? [command[i + 1] ?? ''] : []));
}

function mounts(service: ComposeService): Map<string, string> {
  return new Map(
    (service.volumes ?? []).map((volume) => {
      const [source = '', target = ''] = withDefaults(volume).split(':');
      return [target, source];
    }),
  );
}

function checkComposeApp(app: RunFileApp, script: string) {
  const dir = relative(repo, app.appDirPath);
  const service = services[app.appID];
  assert.ok(service, `docker-compose.yml runs ${app.appID}`);
  assert.deepEqual(service.build, { context: '.', dockerfile: `${dir}/Dockerfile` }, `${app.appID}: built from its Dockerfile`);
  assert.match(service.image ?? '', new RegExp(`^image-importer/${app.appID}:`));
  checkDockerfile(dir, { ...(app.appPort === undefined ? {} : { port: app.appPort }), script, command: app.command });
  const env = service.environment ?? {};
  assert.equal(env.APP_PORT, String(app.appPort), `${app.appID}: APP_PORT`);
  if (app.daprHTTPPort) assert.equal(env.DAPR_HTTP_PORT, String(app.daprHTTPPort), `${app.appID}: DAPR_HTTP_PORT`);
  if (app.daprGRPCPort) assert.equal(env.DAPR_GRPC_PORT, String(app.daprGRPCPort), `${app.appID}: DAPR_GRPC_PORT`);

  const sidecar = services[`${app.appID}-dapr`];
  assert.ok(sidecar, `docker-compose.yml runs ${app.appID}-dapr`);
  assert.equal(sidecar.network_mode, `service:${app.appID}`, `${app.appID}-dapr shares its app's network`);
  assert.equal(withDefaults(sidecar.image ?? ''), `daprio/dapr:${daprVersion}`, `${app.appID}-dapr: the pinned Dapr version`);
  const command = sidecar.command ?? [];
  assert.equal(command[0], './daprd');
  assert.deepEqual(flag(command, '--app-id'), [app.appID]);
  assert.deepEqual(flag(command, '--app-port'), [String(app.appPort)]);
  if (app.daprHTTPPort) assert.deepEqual(flag(command, '--dapr-http-port'), [String(app.daprHTTPPort)]);
  if (app.daprGRPCPort) assert.deepEqual(flag(command, '--dapr-grpc-port'), [String(app.daprGRPCPort)]);
  assert.deepEqual(flag(command, '--max-body-size'), [app.maxBodySize ?? runFile.common.maxBodySize], `${app.appID}-dapr: the run file's body limit`);
  assert.deepEqual(flag(command, '--placement-host-address'), ['placement:50005']);
  assert.deepEqual(flag(command, '--scheduler-host-address'), ['scheduler:50006']);
  const mounted = mounts(sidecar);
  const [config] = flag(command, '--config');
  const configSource = mounted.get(config ?? '');
  assert.ok(configSource, `${app.appID}-dapr: --config ${config} is mounted`);
  assert.equal((parse(read(configSource)) as { metadata: { name: string } }).metadata.name, DaprConfigName);
  const resources = flag(command, '--resources-path');
  assert.ok(resources.length > 0);
  for (const path of resources) {
    const source = mounted.get(path) ?? [...mounted].find(([target]) => target.startsWith(`${path}/`))?.[1];
    assert.ok(source && existsSync(join(repo, source)), `${app.appID}-dapr: --resources-path ${path} is mounted from a file or folder that exists`);
  }
}

// ---- Kubernetes ---------------------------------------------------------------------------------------------------

interface K8sResource {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
  scopes?: string[];
}
interface Container {
  name: string;
  image: string;
  ports?: { name: string; containerPort: number }[];
  env?: { name: string; value?: string }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: { httpGet?: { port: string | number } };
  readinessProbe?: { httpGet?: { port: string | number } };
}
interface PodTemplate {
  metadata: { annotations: Record<string, string>; labels: Record<string, string> };
  spec: { containers: Container[] };
}

const kustomization = parse(read('k8s/kustomization.yaml')) as { resources: string[]; images: { name: string }[] };
const k8s: K8sResource[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(read(`k8s/${file}`)).map((doc) => doc.toJS() as K8sResource),
);
const ofKind = (kind: string) => k8s.filter((r) => r.kind === kind);

function checkDeployment(app: RunFileApp) {
  const deployment = ofKind('Deployment').find((d) => d.metadata.name === app.appID);
  assert.ok(deployment, `k8s has a Deployment ${app.appID}`);
  const template = deployment.spec.template as PodTemplate;
  const annotations = template.metadata.annotations;
  assert.equal(annotations['dapr.io/enabled'], 'true');
  assert.equal(annotations['dapr.io/app-id'], app.appID);
  assert.equal(annotations['dapr.io/app-port'], String(app.appPort));
  assert.equal(annotations['dapr.io/config'], DaprConfigName);
  assert.equal(annotations['dapr.io/max-body-size'], app.maxBodySize ?? runFile.common.maxBodySize);
  const [container] = template.spec.containers;
  assert.ok(container);
  assert.equal(container.image, `image-importer/${app.appID}`);
  assert.ok(kustomization.images.some((i) => i.name === container.image), `${container.image} is in kustomization.yaml images`);
  const port = container.ports?.find((p) => p.containerPort === app.appPort);
  assert.ok(port, `${app.appID}: container port ${app.appPort}`);
  assert.equal(container.env?.find((e) => e.name === 'APP_PORT')?.value, String(app.appPort));
  assert.equal(container.env?.find((e) => e.name === 'APP_HOST')?.value, '0.0.0.0');
  for (const probe of [container.livenessProbe, container.readinessProbe]) assert.equal(probe?.httpGet?.port, port.name, `${app.appID}: probes on its port`);
  for (const key of ['cpu', 'memory']) {
    assert.ok(container.resources?.requests?.[key] && container.resources.limits?.[key], `${app.appID}: ${key} request and limit`);
  }
  const service = ofKind('Service').find((s) => s.metadata.name === app.appID);
  assert.ok(service, `k8s has a Service ${app.appID}`);
  const servicePorts = service.spec.ports as { port: number; targetPort: string }[];
  assert.ok(servicePorts.some((p) => p.port === app.appPort && p.targetPort === port.name), `Service ${app.appID} forwards ${app.appPort}`);
}

// ---- the tests ----------------------------------------------------------------------------------------------------

describe('deployment manifests agree with dapr/dapr.yaml', () => {
  test('the run file names apps this project knows, and the Dapr version is pinned', () => {
    assert.ok(runFile.apps.length >= 3);
    for (const app of runFile.apps) assert.ok(knownAppIds.has(app.appID), `unknown app id ${app.appID}`);
    assert.match(daprVersion ?? '', /^\d+\.\d+\.\d+$/);
  });

  for (const app of runFile.apps) {
    test(`${app.appID}: Dockerfile, Compose service and sidecar agree with the run file`, () => {
      const script = scriptOf(app.command);
      assert.ok(script, `${app.appID}: the run file's command runs a .js file`);
      checkComposeApp(app, script);
    });

    test(`${app.appID}: the Kubernetes Deployment and Service agree with the run file`, () => checkDeployment(app));
  }

  test('every app sidecar in Compose and every Deployment in Kubernetes is for a known app id', () => {
    for (const name of Object.keys(services).filter((n) => n.endsWith('-dapr'))) {
      const appId = name.slice(0, -'-dapr'.length);
      assert.ok(knownAppIds.has(appId), `${name}: unknown app id`);
      assert.ok(services[appId], `${name} has its app`);
      assert.ok(ofKind('Deployment').some((d) => d.metadata.name === appId), `${appId} runs on Kubernetes too`);
    }
    for (const deployment of ofKind('Deployment')) {
      assert.ok(services[deployment.metadata.name], `Deployment ${deployment.metadata.name} runs in Compose too`);
    }
  });

  test('every Compose build uses a Dockerfile that exists, and the one-shot images are checked like the apps', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build) assert.ok(existsSync(join(repo, service.build.dockerfile)), `${name}: ${service.build.dockerfile} exists`);
    }
    checkDockerfile('services/db', { script: 'dist/src/migrate.js' });
    assert.equal(services.migrate?.build?.dockerfile, 'services/db/Dockerfile');
    const job = ofKind('Job').find((j) => j.metadata.name === 'migrate');
    const container = (job?.spec.template as PodTemplate | undefined)?.spec.containers[0];
    assert.equal(container?.image, 'image-importer/migrate', 'the migration Job runs the image Compose builds');
    checkDockerfile('services/emulators', { script: 'dist/src/main.js' });
    assert.deepEqual(services.emulators?.profiles, ['emulators']);
    assert.ok(existsSync(join(repo, '.dockerignore')));
  });

  test('only the web app publishes a port, and it is the port web listens on', () => {
    const published = Object.entries(services).filter(([, s]) => s.ports?.length && !s.profiles?.length);
    assert.deepEqual(published.map(([name]) => name), ['web']);
    const web = runFile.apps.find((a) => a.appID === AppId.web);
    const [mapping] = published[0]?.[1].ports ?? [];
    assert.equal(withDefaults(mapping ?? '').split(':')[1], String(web?.appPort ?? 8080));
    const ingress = ofKind('Ingress')[0];
    assert.match(JSON.stringify(ingress?.spec), /"service":\{"name":"web"/, 'the Ingress sends people to web');
  });

  test('the Compose and Kubernetes components declare what components/ declares', () => {
    type Component = { metadata: { name: string }; spec: { type: string; metadata?: { name: string }[] }; scopes?: string[] };
    const folder = (dir: string) =>
      readdirSync(join(repo, dir))
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => parse(read(`${dir}/${f}`)) as Component)
        .filter((c) => (c as unknown as K8sResource).kind === 'Component');
    const shape = (c: Component) => ({ name: c.metadata.name, type: c.spec.type, keys: (c.spec.metadata ?? []).map((m) => m.name).sort(), scopes: c.scopes });
    const sorted = (list: Component[]) => list.map(shape).sort((a, b) => a.name.localeCompare(b.name));
    for (const sub of readdirSync(join(repo, 'components')).filter((d) => statSync(join(repo, 'components', d)).isDirectory())) {
      assert.deepEqual(sorted(folder(`compose/components/${sub}`)), sorted(folder(`components/${sub}`)), `compose/components/${sub}`);
    }
    const cluster = ofKind('Component') as unknown as Component[];
    const local = [...folder('components/common'), ...folder('components/pubsub-redis')];
    assert.deepEqual(
      cluster.map((c) => [c.metadata.name, c.spec.type, c.scopes]).sort(),
      local.map((c) => [c.metadata.name, c.spec.type, c.scopes]).sort(),
      'the cluster has the same components, types and scopes',
    );
    const configuration = ofKind('Configuration');
    assert.deepEqual(configuration.map((c) => c.metadata.name), [DaprConfigName]);
    for (const c of [...cluster, ...local]) for (const scope of c.scopes ?? []) assert.ok(knownAppIds.has(scope), `${c.metadata.name}: scope ${scope}`);
  });

  test('KEDA scales lister and transfer on the streams they consume, as the consumer group Dapr names after the app', () => {
    const streams: Record<string, string> = { [AppId.transfer]: filesFoundTopic.name, [AppId.lister]: listRequestedTopic.name };
    const scaled = ofKind('ScaledObject');
    assert.deepEqual(scaled.map((s) => (s.spec.scaleTargetRef as { name: string }).name).sort(), Object.keys(streams).sort());
    for (const object of scaled) {
      const target = (object.spec.scaleTargetRef as { name: string }).name;
      assert.ok(ofKind('Deployment').some((d) => d.metadata.name === target), `${target} is a Deployment`);
      const [trigger] = object.spec.triggers as { type: string; metadata: Record<string, string>; authenticationRef?: { name: string } }[];
      assert.equal(trigger?.type, 'redis-streams');
      assert.equal(trigger.metadata.stream, streams[target]);
      assert.equal(trigger.metadata.consumerGroup, target);
      const pubsub = ofKind('Component').find((c) => c.metadata.name === 'pubsub');
      const redisHost = ((pubsub?.spec.metadata ?? []) as { name: string; value?: string }[]).find((m) => m.name === 'redisHost')?.value;
      assert.equal(trigger.metadata.address, redisHost, 'KEDA watches the Redis the sidecars publish to');
      assert.ok(ofKind('TriggerAuthentication').some((a) => a.metadata.name === trigger.authenticationRef?.name));
    }
  });

  test('kustomization.yaml lists every manifest under k8s/, and the README installs the pinned Dapr', () => {
    const files = (dir: string): string[] =>
      readdirSync(join(repo, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));
    const manifests = files('k8s').filter((f) => f.endsWith('.yaml') && f !== 'k8s/kustomization.yaml').map((f) => f.slice('k8s/'.length));
    assert.deepEqual([...kustomization.resources].sort(), manifests.sort());
    const install = `helm upgrade --install dapr dapr/dapr --version ${daprVersion}`;
    assert.ok(read('README.md').includes(install), `README.md shows \`${install}\``);
  });

  test("the demo's environment points the apps at hosts Compose runs, and signs webhooks", () => {
    const demo = new Map(
      read('compose/demo.env')
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
    );
    const urls = [...demo].filter(([key]) => key.endsWith('_URL'));
    assert.ok(urls.length >= 3, 'the demo names the emulators by URL');
    for (const [key, value] of urls) assert.ok(compose.services[new URL(value).hostname], `${key}=${value} names a Compose service`);
    assert.ok(demo.get('WEBHOOK_SECRET'), 'the demo sets WEBHOOK_SECRET');
    assert.ok(read('docker-compose.yml').includes('SECRET_WEBHOOK_SECRET: ${WEBHOOK_SECRET'), "the sidecars' secret store serves it");
  });
});
