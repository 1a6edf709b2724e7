import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { AppId, DaprApiConfigName, DaprConfigName, filesFoundTopic, listRequestedTopic } from '@importer/contracts';
import { devkitConfig } from './config.js';
import { readRunFile, type RunFileApp } from './run-file.js';

/*
 * Docker Compose, Kubernetes and the Dockerfiles against dapr/dapr.yaml: every app the run file starts must be
 * built, run and wired the same way everywhere (app id, ports, entry point, sidecar limits, components).
 * The apps come from the run file, so an app added there is checked here without touching this file.
 * The Node images themselves (services/base.Dockerfile and each service's Dockerfile) are checked in dockerfiles.spec.ts.
 */

const repo = devkitConfig.repoRoot;
const read = (path: string) => readFileSync(join(repo, path), 'utf8');
const runFile = readRunFile(join(repo, 'dapr', 'dapr.yaml'));
/** The Configuration the run file gives an app (api has its own, with the access-control policy). */
const configNameOf = (app: RunFileApp) => (parse(readFileSync(app.configFilePath ?? runFile.common.configFilePath, 'utf8')) as { metadata: { name: string } }).metadata.name;
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

const scriptOf = (command: readonly string[]) => command.find((arg) => arg.endsWith('.js'));

// ---- Compose ------------------------------------------------------------------------------------------------------

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string | null>;
  volumes?: string[];
  network_mode?: string;
  networks?: string[];
  ports?: string[];
  profiles?: string[];
  user?: string;
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, ComposeService>;
  networks?: Record<string, { internal?: boolean } | null>;
};
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

/** The variables compose/env-from-files.sh sets from files: ENV_FROM_FILES, `NAME=FILE` pairs. */
function fromFiles(service: ComposeService): Map<string, string> {
  const pairs = (service.environment?.ENV_FROM_FILES ?? '').split(/\s+/).filter(Boolean);
  return new Map(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as const));
}

/** The named volume a service reads FILE from, and FILE's name inside it. */
function volumeOf(service: ComposeService, file: string): { volume: string; name: string } | undefined {
  const [target, source] = [...mounts(service)].find(([t]) => file.startsWith(`${t}/`)) ?? [];
  return target === undefined || source === undefined ? undefined : { volume: source, name: file.slice(target.length + 1) };
}

const daprImage = services.sentry;
const secretsInit = read('compose/secrets-init.sh');

/** The app's and its sidecar's tokens come from the same two generated files, in a volume only the pair mounts. */
function checkComposeTokens(appId: string, app: ComposeService, sidecar: ComposeService) {
  const volumes = new Set<string>();
  for (const name of ['DAPR_API_TOKEN', 'APP_API_TOKEN']) {
    const inApp = fromFiles(app).get(name);
    assert.ok(inApp, `${appId}: ${name} from a file`);
    assert.equal(fromFiles(sidecar).get(name), inApp, `${appId}-dapr: the same ${name} file as its app`);
    const appVolume = volumeOf(app, inApp);
    assert.ok(appVolume, `${appId}: ${inApp} is in a mounted volume`);
    assert.deepEqual(volumeOf(sidecar, inApp), appVolume, `${appId}-dapr mounts the same volume there`);
    assert.ok(secretsInit.includes(`"$root/$app/${appVolume.name}"`), `compose/secrets-init.sh makes ${appVolume.name} for every app`);
    volumes.add(appVolume.volume);
  }
  assert.equal(volumes.size, 1, `${appId}: one secrets volume`);
  const [volume] = volumes;
  assert.deepEqual(mounts(services['secrets-init'] ?? {}).get(`/secrets/${appId}`), volume, `secrets-init fills ${volume} as /secrets/${appId}`);
  const holders = Object.entries(services).filter(([, s]) => [...mounts(s).values()].includes(volume ?? '')).map(([n]) => n).sort();
  assert.deepEqual(holders, [appId, `${appId}-dapr`, 'secrets-init'].sort(), `${volume}: only ${appId}, its sidecar and secrets-init mount it`);
}

function checkComposeApp(app: RunFileApp) {
  const dir = relative(repo, app.appDirPath);
  const service = services[app.appID];
  assert.ok(service, `docker-compose.yml runs ${app.appID}`);
  assert.equal(service.build?.dockerfile, `${dir}/Dockerfile`, `${app.appID}: built from its Dockerfile`);
  assert.match(service.image ?? '', new RegExp(`^image-importer/${app.appID}:`));
  // An entrypoint set in Compose drops the image's CMD, so the command is repeated: the run file's.
  assert.deepEqual(service.entrypoint, ['/bin/sh', '/opt/importer/env-from-files.sh'], `${app.appID}: reads its secrets from files first`);
  assert.equal(mounts(service).get('/opt/importer/env-from-files.sh'), './compose/env-from-files.sh');
  assert.deepEqual(service.command, app.command, `${app.appID}: the run file's command`);
  const env = service.environment ?? {};
  assert.equal(env.APP_PORT, String(app.appPort), `${app.appID}: APP_PORT`);
  if (app.daprHTTPPort) assert.equal(env.DAPR_HTTP_PORT, String(app.daprHTTPPort), `${app.appID}: DAPR_HTTP_PORT`);
  if (app.daprGRPCPort) assert.equal(env.DAPR_GRPC_PORT, String(app.daprGRPCPort), `${app.appID}: DAPR_GRPC_PORT`);

  const sidecar = services[`${app.appID}-dapr`];
  assert.ok(sidecar, `docker-compose.yml runs ${app.appID}-dapr`);
  assert.equal(sidecar.network_mode, `service:${app.appID}`, `${app.appID}-dapr shares its app's network`);
  assert.deepEqual(sidecar.build, daprImage?.build, `${app.appID}-dapr: the Dapr image of compose/dapr.Dockerfile`);
  assert.equal(withDefaults(sidecar.image ?? ''), `image-importer/dapr:${daprVersion}`, `${app.appID}-dapr: the pinned Dapr version`);
  const command = sidecar.command ?? [];
  assert.equal(command[0], './daprd');
  assert.deepEqual(flag(command, '--app-id'), [app.appID]);
  assert.deepEqual(flag(command, '--app-port'), [String(app.appPort)]);
  if (app.daprHTTPPort) assert.deepEqual(flag(command, '--dapr-http-port'), [String(app.daprHTTPPort)]);
  if (app.daprGRPCPort) assert.deepEqual(flag(command, '--dapr-grpc-port'), [String(app.daprGRPCPort)]);
  assert.deepEqual(flag(command, '--max-body-size'), [app.maxBodySize ?? runFile.common.maxBodySize], `${app.appID}-dapr: the run file's body limit`);
  assert.deepEqual(flag(command, '--placement-host-address'), ['placement:50005']);
  assert.deepEqual(flag(command, '--scheduler-host-address'), ['scheduler:50006']);
  assert.ok(command.includes('--enable-mtls'), `${app.appID}-dapr: mTLS between sidecars`);
  assert.deepEqual(flag(command, '--sentry-address'), ['sentry:50001']);
  assert.deepEqual(flag(command, '--dapr-listen-addresses'), ['127.0.0.1'], `${app.appID}-dapr: its API on loopback, for its app only`);
  assert.deepEqual(flag(command, '--dapr-internal-grpc-port'), ['50002']);
  const mounted = mounts(sidecar);
  const [config] = flag(command, '--config');
  const configSource = mounted.get(config ?? '');
  assert.ok(configSource, `${app.appID}-dapr: --config ${config} is mounted`);
  assert.equal((parse(read(configSource)) as { metadata: { name: string } }).metadata.name, configNameOf(app), `${app.appID}-dapr: the run file's Configuration`);
  const resources = flag(command, '--resources-path');
  assert.ok(resources.length > 0);
  for (const path of resources) {
    const source = mounted.get(path) ?? [...mounted].find(([target]) => target.startsWith(`${path}/`))?.[1];
    assert.ok(source && existsSync(join(repo, source)), `${app.appID}-dapr: --resources-path ${path} is mounted from a file or folder that exists`);
  }
  const anchors = fromFiles(sidecar).get('DAPR_TRUST_ANCHORS');
  assert.ok(anchors, `${app.appID}-dapr: DAPR_TRUST_ANCHORS (daprd reads them from the environment only)`);
  assert.deepEqual(volumeOf(sidecar, anchors), { volume: 'trust-anchors', name: 'ca.crt' }, `${app.appID}-dapr: Sentry's root certificate`);
  checkComposeTokens(app.appID, service, sidecar);
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
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
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
  assert.equal(annotations['dapr.io/config'], configNameOf(app), `${app.appID}: the run file's Configuration`);
  assert.equal(annotations['dapr.io/max-body-size'], app.maxBodySize ?? runFile.common.maxBodySize);
  assert.equal(annotations['dapr.io/disable-builtin-k8s-secret-store'], 'true', `${app.appID}: secrets only through the secretstore component`);
  const [container] = template.spec.containers;
  assert.ok(container);
  // The injector puts each Secret's key `token` into the sidecar only (pkg/injector/patcher/sidecar_container.go).
  const tokenSecrets = { DAPR_API_TOKEN: annotations['dapr.io/api-token-secret'], APP_API_TOKEN: annotations['dapr.io/app-token-secret'] };
  for (const [name, secret] of Object.entries(tokenSecrets)) {
    assert.ok(secret, `${app.appID}: a Secret for the sidecar's ${name}`);
    assert.deepEqual(container.env?.find((e) => e.name === name)?.valueFrom?.secretKeyRef, { name: secret, key: 'token' }, `${app.appID}: the app reads ${name} from the same Secret`);
  }
  assert.notEqual(tokenSecrets.DAPR_API_TOKEN, tokenSecrets.APP_API_TOKEN, `${app.appID}: one token per direction`);
  for (const other of ofKind('Deployment').filter((d) => d.metadata.name !== app.appID)) {
    const theirs = (other.spec.template as PodTemplate).metadata.annotations;
    for (const secret of Object.values(tokenSecrets)) {
      assert.ok(![theirs['dapr.io/api-token-secret'], theirs['dapr.io/app-token-secret']].includes(secret), `${secret} is ${app.appID}'s alone`);
    }
  }
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
    test(`${app.appID}: the Compose service and its sidecar agree with the run file`, () => {
      const script = scriptOf(app.command);
      assert.ok(script, `${app.appID}: the run file's command runs a .js file`);
      checkComposeApp(app);
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

  test('every Compose build uses a Dockerfile that exists, and the migration Job runs the image Compose builds', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build) assert.ok(existsSync(join(repo, service.build.context, service.build.dockerfile)), `${name}: ${service.build.dockerfile} exists`);
    }
    assert.equal(services.migrate?.build?.dockerfile, 'services/db/Dockerfile');
    const job = ofKind('Job').find((j) => j.metadata.name === 'migrate');
    const container = (job?.spec.template as PodTemplate | undefined)?.spec.containers[0];
    assert.equal(container?.image, 'image-importer/migrate', 'the migration Job runs the image Compose builds');
    assert.equal(services.emulators?.build?.dockerfile, 'services/emulators/Dockerfile');
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
    assert.deepEqual(configuration.map((c) => c.metadata.name).sort(), [DaprApiConfigName, DaprConfigName].sort());
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

  test('Compose runs Sentry, and placement and scheduler with TLS, all from the pinned Dapr image', () => {
    const dockerfile = read('compose/dapr.Dockerfile');
    assert.deepEqual(daprImage?.build, { context: './compose', dockerfile: 'dapr.Dockerfile', args: { DAPR_VERSION: '${DAPR_VERSION:-' + daprVersion + '}' } });
    assert.match(dockerfile, new RegExp(`^ARG DAPR_VERSION=${daprVersion?.replace(/\./g, '\\.')}$`, 'm'), 'compose/dapr.Dockerfile defaults to the pinned version');
    assert.match(dockerfile, /^FROM daprio\/dapr:\$\{DAPR_VERSION\} AS dapr$/m);
    const stages = dockerStages('compose/dapr.Dockerfile');
    const runtime = stages.at(-1) ?? [];
    assert.ok(all(runtime, 'COPY').some((args) => args.startsWith('--from=dapr ') && args.includes('/daprd')), 'the official daprd');
    assert.equal(one(runtime, 'USER'), '65532:65532', "the official image's non-root user");

    const sentry = services.sentry?.command ?? [];
    assert.equal(sentry[0], './sentry');
    const trustDomain = flag(sentry, '--trust-domain');
    assert.equal(mounts(services.sentry ?? {}).get(flag(sentry, '--issuer-credentials')[0] ?? ''), 'sentry-credentials');
    const holders = Object.entries(services).filter(([, s]) => [...mounts(s).values()].includes('sentry-credentials')).map(([n]) => n).sort();
    assert.deepEqual(holders, ['sentry', 'trust-anchors'], "Sentry's issuer key stays with Sentry; trust-anchors copies out the root certificate only");
    assert.match((services['trust-anchors']?.command ?? []).join(' '), /cp \/credentials\/ca\.crt \/trust\//);
    for (const name of ['placement', 'scheduler']) {
      const command = services[name]?.command ?? [];
      assert.equal(command[0], `./${name}`);
      assert.ok(command.includes('--tls-enabled'), `${name}: TLS`);
      assert.deepEqual(flag(command, '--trust-domain'), trustDomain, `${name}: Sentry's trust domain`);
      assert.deepEqual(flag(command, '--sentry-address'), ['sentry:50001']);
      assert.deepEqual(volumeOf(services[name] ?? {}, flag(command, '--trust-anchors-file')[0] ?? ''), { volume: 'trust-anchors', name: 'ca.crt' });
    }
  });

  test('Compose ships no secret: every password, key and token comes from secrets-init', () => {
    const text = read('docker-compose.yml');
    assert.doesNotMatch(text, /\$\{[A-Z_]*(PASSWORD|SECRET|TOKEN|KEY|USER)[A-Z_]*:-[^}]/, 'no secret with a default value');
    assert.doesNotMatch(text, /minioadmin|guest:guest|:importer@/, 'no well-known password');
    const secretsInitService = services['secrets-init'];
    assert.deepEqual(secretsInitService?.entrypoint, ['/bin/sh', '/usr/local/bin/secrets-init.sh']);
    assert.equal(secretsInitService?.user, '0:0', 'it sets each file to its reader');
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (/PASSWORD|SECRET|TOKEN|ACCESS_KEY/.test(key) && !/_FILE$/.test(key)) assert.ok(!value, `${name}: ${key} is not written in docker-compose.yml`);
        if (/_FILE$/.test(key)) assert.ok(secretsInit.includes(`$infra/${volumeOf(service, value ?? '')?.name}`), `${name}: ${key} names a file secrets-init makes`);
      }
      for (const [variable, file] of fromFiles(service)) {
        const source = volumeOf(service, file);
        assert.ok(source, `${name}: ${variable} from a mounted volume`);
        if (source.volume.startsWith('secrets-')) assert.ok(secretsInit.includes(source.name), `${name}: secrets-init makes ${source.name}`);
      }
    }
    assert.ok(services.postgres?.environment?.POSTGRES_PASSWORD_FILE);
    assert.ok(services.minio?.environment?.MINIO_ROOT_PASSWORD_FILE);
    assert.ok(fromFiles(services.rabbitmq ?? {}).has('RABBITMQ_DEFAULT_PASS'), 'RabbitMQ without its guest account');
  });

  test("the apps' S3 identity in Compose is a user limited to the bucket, and only api's sidecar holds WEBHOOK_SECRET", () => {
    const policy = read('compose/minio/images-policy.json');
    assert.equal(read('k8s/importer-s3-policy.json'), policy, 'the policy the README gives for importer-s3 on Kubernetes is the same');
    const resources = (JSON.parse(policy) as { Statement: { Resource: string[] }[] }).Statement.flatMap((st) => st.Resource);
    const bucket = (parse(read('compose/components/common/image-store.yaml')) as { spec: { metadata: { name: string; value?: string }[] } }).spec.metadata.find((m) => m.name === 'bucket')?.value;
    assert.deepEqual([...new Set(resources)].sort(), [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`]);
    const init = read('compose/minio/bucket-init.sh');
    assert.match(init, /mc admin user add local "\$access_key"/);
    assert.match(init, /mc admin policy attach local importer-images --user "\$access_key"/);
    for (const [name, service] of Object.entries(services).filter(([n]) => n.endsWith('-dapr'))) {
      const secrets = fromFiles(service);
      for (const key of ['SECRET_S3_ACCESS_KEY', 'SECRET_S3_SECRET_KEY']) {
        const file = secrets.get(key);
        if (file) assert.match(volumeOf(service, file)?.name ?? '', /^s3-(access|secret)-key$/, `${name}: the apps' S3 user, never MinIO's root`);
      }
      assert.equal(secrets.has('SECRET_WEBHOOK_SECRET'), name === 'api-dapr', `${name}: WEBHOOK_SECRET is api's alone`);
    }
  });

  test('in Compose the stores are on a network with no way out, which web is not on', () => {
    assert.equal(compose.networks?.data?.internal, true);
    for (const name of ['postgres', 'redis', 'minio', 'rabbitmq', 'migrate', 'minio-bucket']) assert.deepEqual(services[name]?.networks, ['data'], name);
    assert.deepEqual(services.web?.networks, ['default']);
    for (const name of ['api', 'lister', 'transfer']) assert.deepEqual(services[name]?.networks?.slice().sort(), ['data', 'default'], name);
  });

  test("the demo's environment points the apps at hosts Compose runs, and holds no secret", () => {
    const demo = new Map(
      read('compose/demo.env')
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
    );
    const urls = [...demo].filter(([key]) => key.endsWith('_URL'));
    assert.ok(urls.length >= 3, 'the demo names the emulators by URL');
    for (const [key, value] of urls) assert.ok(compose.services[new URL(value).hostname], `${key}=${value} names a Compose service`);
    for (const key of ['WEBHOOK_SECRET', 'POSTGRES_PASSWORD', 'MINIO_ROOT_USER', 'MINIO_ROOT_PASSWORD']) assert.ok(!demo.has(key), `the demo sets no ${key}: secrets-init makes it`);
  });
});
