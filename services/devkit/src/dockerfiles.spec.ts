import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { devkitConfig } from './config.js';
import { readRunFile } from './run-file.js';

/*
 * The Node images: what they share is written once, in services/base.Dockerfile, and each services/<folder>/Dockerfile
 * starts FROM it (the named build context `base`) and says only what is its own. With no Docker engine to build them,
 * the files are parsed, and an image is what its base's last stage and its own file together declare.
 */

const repo = devkitConfig.repoRoot;
const read = (path: string) => readFileSync(join(repo, path), 'utf8');
const BASE = 'services/base.Dockerfile';

// ---- Dockerfiles --------------------------------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  /** The image or stage it starts from, as written. */
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}
interface Dockerfile {
  /** The ARGs before the first FROM, with their defaults. */
  globalArgs: Map<string, string | undefined>;
  stages: Stage[];
  /** The comment lines, without their `#`. */
  comments: string[];
}

/** Instructions with continuation lines joined; a comment line inside a continuation is dropped, as Docker does. */
function parseDockerfile(path: string): Dockerfile {
  const globalArgs = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  const comments: string[] = [];
  let pending = '';
  for (const raw of read(path).split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#')) {
      comments.push(line.slice(1).trim());
      continue;
    }
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    const text = (pending + line).trim();
    pending = '';
    if (!text) continue;
    const [keyword = '', ...rest] = text.split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    if (instruction.keyword === 'FROM') {
      const [from = '', as, name] = rest;
      assert.ok(as === undefined || as.toUpperCase() === 'AS', `${path}: FROM ${instruction.args}`);
      stages.push({ from, name, instructions: [] });
    } else if (stages.length === 0) {
      assert.equal(instruction.keyword, 'ARG', `${path}: only ARG comes before the first FROM`);
      const [name = '', value] = instruction.args.split('=');
      globalArgs.set(name, value);
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { globalArgs, stages, comments };
}

const all = (stage: Stage | undefined, keyword: string) => (stage?.instructions ?? []).filter((i) => i.keyword === keyword).map((i) => i.args);
const one = (stage: Stage | undefined, keyword: string) => all(stage, keyword).at(-1);
const stageNamed = (file: Dockerfile, name: string) => file.stages.find((s) => s.name === name);
/** `${NAME}` replaced, as Docker does in FROM, ENV, WORKDIR and COPY (never in RUN, CMD or HEALTHCHECK). */
const expand = (text: string, args: Record<string, string>) => text.replace(/\$\{(\w+)\}/g, (whole, name: string) => args[name] ?? whole);

/** `ENV A=1 B=2` as pairs (the files use no quotes and no `ENV KEY value` form). */
function envPairs(args: string): [string, string][] {
  return args.split(/\s+/).map((pair) => {
    assert.match(pair, /^[A-Z_][A-Z0-9_]*=\S*$/, `ENV ${args}: KEY=value pairs`);
    return [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
  });
}

/** What a container of an image runs with: the instructions of its stages, later ones winning. */
interface Image {
  env: Map<string, string>;
  workdir: string | undefined;
  user: string | undefined;
  expose: string[];
  healthcheck: string | undefined;
  cmd: string[] | undefined;
}

function applyTo(image: Image, stage: Stage, args: Record<string, string>): Image {
  const next = { ...image, env: new Map(image.env), expose: [...image.expose] };
  for (const { keyword, args: text } of stage.instructions) {
    const value = expand(text, args);
    if (keyword === 'ENV') for (const [key, v] of envPairs(value)) next.env.set(key, v);
    if (keyword === 'WORKDIR') next.workdir = posix.resolve(next.workdir ?? '/', value);
    if (keyword === 'USER') next.user = value;
    if (keyword === 'EXPOSE') next.expose.push(...value.split(/\s+/));
    if (keyword === 'HEALTHCHECK') next.healthcheck = text;
    if (keyword === 'CMD') next.cmd = JSON.parse(text) as string[];
  }
  return next;
}

const base = parseDockerfile(BASE);
const runtimeBase = base.stages.at(-1);
const baseEnvKeys = new Set(all(runtimeBase, 'ENV').flatMap((args) => envPairs(args).map(([key]) => key)));

/** Every service folder with a Dockerfile of its own. */
const imageFolders = readdirSync(join(repo, 'services')).filter((entry) => existsSync(join(repo, 'services', entry, 'Dockerfile')));

/** The image built from services/<folder>/Dockerfile on a base built with SERVICE=<folder>. */
function imageOf(folder: string): Image {
  const args = { SERVICE: folder, NODE_IMAGE: base.globalArgs.get('NODE_IMAGE') ?? '' };
  const empty: Image = { env: new Map(), workdir: undefined, user: undefined, expose: [], healthcheck: undefined, cmd: undefined };
  const own = parseDockerfile(`services/${folder}/Dockerfile`).stages[0];
  assert.ok(runtimeBase && own);
  return applyTo(applyTo(empty, runtimeBase, args), own, args);
}

// ---- Compose and the workspaces -----------------------------------------------------------------------------------

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string>; additional_contexts?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string | null>;
  profiles?: string[];
}
const services = (parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> }).services;
/** The Compose services built from a service's own Dockerfile, with its folder. */
const composeImages = Object.entries(services).flatMap(([name, service]) => {
  const folder = /^services\/([\w-]+)\/Dockerfile$/.exec(service.build?.dockerfile ?? '')?.[1];
  return folder ? [{ name, service, folder }] : [];
});

/** The `@importer/*` workspaces a workspace needs at run time: its dependencies, and theirs (not devDependencies). */
function runtimeWorkspaces(dir: string): string[] {
  const dirs = new Map<string, string>();
  for (const entry of readdirSync(join(repo, 'services'))) {
    const manifest = join(repo, 'services', entry, 'package.json');
    if (existsSync(manifest)) dirs.set((JSON.parse(readFileSync(manifest, 'utf8')) as { name: string }).name, `services/${entry}`);
  }
  const seen = new Set<string>();
  const visit = (at: string) => {
    if (seen.has(at)) return;
    seen.add(at);
    const manifest = JSON.parse(read(`${at}/package.json`)) as { dependencies?: Record<string, string> };
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      const dep = dirs.get(name);
      if (dep) visit(dep);
    }
  };
  visit(dir);
  return [...seen].sort();
}

/** `docker build ...` commands written in a text (a README line, a Dockerfile comment), up to a backtick or line end. */
const dockerBuilds = (text: string) => [...text.matchAll(/docker build [^`\n]*/g)].map((m) => m[0].trim());
const flagValues = (command: string, name: string) => [...command.matchAll(new RegExp(`${name}[ =](\\S+)`, 'g'))].map((m) => m[1] ?? '');

/** Every service Dockerfile built in `text` names the image its base was built as, with SERVICE=<its folder>. */
function checkBuildCommands(where: string, text: string) {
  const commands = dockerBuilds(text);
  for (const command of commands) {
    const [file] = flagValues(command, '-f');
    const folder = /^services\/([\w-]+)\/Dockerfile$/.exec(file ?? '')?.[1];
    if (!folder) continue;
    const [context] = flagValues(command, '--build-context');
    const ref = /^base=docker-image:\/\/(\S+)$/.exec(context ?? '')?.[1];
    assert.ok(ref, `${where}: \`${command}\` gives the Dockerfile its base (--build-context base=docker-image://...)`);
    const baseBuild = commands.find((c) => flagValues(c, '-f')[0] === BASE && flagValues(c, '-t').includes(ref));
    assert.ok(baseBuild, `${where}: builds ${ref} from ${BASE} too`);
    const buildArgs = Object.fromEntries(flagValues(baseBuild, '--build-arg').map((pair) => pair.split('=') as [string, string]));
    assert.equal(buildArgs.SERVICE, folder, `${where}: ${ref} is built with SERVICE=${folder}`);
    const composeBase = composeImages.find((i) => i.folder === folder)?.service.build?.additional_contexts?.base?.replace(/^service:/, '');
    assert.deepEqual(buildArgs, services[composeBase ?? '']?.build?.args, `${where}: ${ref} is built with the args Compose builds ${composeBase} with`);
  }
  for (const command of commands) {
    const [file] = flagValues(command, '-f');
    assert.ok(file === BASE || /^services\/[\w-]+\/Dockerfile$/.test(file ?? ''), `${where}: \`${command}\` builds a Node image's Dockerfile`);
    assert.ok(existsSync(join(repo, file ?? '')), `${where}: ${file} exists`);
    assert.ok(command.endsWith(' .'), `${where}: \`${command}\` builds from the repository root`);
  }
  return commands.length;
}

// ---- the tests ----------------------------------------------------------------------------------------------------

describe('the Node images: one shared base, and in each Dockerfile only what is its own', () => {
  test(`${BASE}: the shared stages, one service's production dependencies, and how every image runs`, () => {
    assert.match(base.globalArgs.get('NODE_IMAGE') ?? '', /^node:24(-slim|-alpine)?$/, 'a current Node LTS');
    assert.deepEqual(
      base.stages.map((s) => s.name),
      ['manifests', 'build', 'web-app-true', 'web-app-false', 'web-app', 'prune', 'dist', 'runtime-base'],
    );
    for (const stage of base.stages) {
      for (const run of all(stage, 'RUN').filter((r) => r.includes('npm ci'))) assert.match(run, /npm ci [^&]*--ignore-scripts/, `${stage.name}: no install scripts`);
    }
    // Nothing of one service in the manifests and the compile, so every image's base shares them.
    for (const name of ['manifests', 'build']) {
      const stage = stageNamed(base, name);
      assert.equal(stage?.from, '${NODE_IMAGE}');
      assert.ok(!JSON.stringify(stage).includes('SERVICE'), `${name} does not depend on SERVICE`);
    }
    const compile = all(stageNamed(base, 'build'), 'RUN').find((r) => r.includes('tsc -b'));
    assert.match(compile ?? '', /! -path 'services\/e2e\/\*'/, 'the end-to-end tests are in no image');

    const prune = stageNamed(base, 'prune');
    assert.equal(prune?.from, '${NODE_IMAGE}', 'the production dependencies are installed afresh, without the compile');
    const install = all(prune, 'RUN').find((r) => r.includes('npm ci'));
    assert.match(install ?? '', /npm ci --omit=dev .*-w "services\/\$\{SERVICE\}" && npm cache clean --force/, 'the production dependencies of SERVICE alone');

    assert.equal(base.globalArgs.get('WEB_APP'), 'false', 'the Vue app only where asked for');
    assert.equal(stageNamed(base, 'web-app')?.from, 'web-app-${WEB_APP}');
    assert.match(one(stageNamed(base, 'web-app-true'), 'RUN') ?? '', /vite\.js build .*\/out\/web/);

    assert.equal(runtimeBase?.name, 'runtime-base', 'the last stage is what the services start from');
    assert.equal(runtimeBase.from, '${NODE_IMAGE}');
    assert.deepEqual(all(runtimeBase, 'RUN'), [], 'nothing is installed or built in the runtime');
    assert.deepEqual(
      all(runtimeBase, 'COPY').map((args) => /^--from=([\w-]+) /.exec(args)?.[1]),
      ['prune', 'dist', 'web-app'],
      'it holds the production dependencies and compiled code, nothing else',
    );
    const image = applyTo({ env: new Map(), workdir: undefined, user: undefined, expose: [], healthcheck: undefined, cmd: undefined }, runtimeBase, {});
    assert.equal(image.env.get('NODE_ENV'), 'production');
    assert.equal(image.env.get('APP_HOST'), '0.0.0.0', 'listens beyond loopback, for probes and scrapes');
    assert.equal(image.workdir, '/app/services/${SERVICE}', "runs in the service's folder, as dapr/dapr.yaml does");
    assert.equal(image.user, 'node', 'the unprivileged user of the official image');
    assert.match(image.healthcheck ?? '', /^--interval=\S+ --timeout=\S+ --start-period=\S+ --retries=\d+ CMD \["node", "-e", /);
    assert.ok(image.healthcheck?.includes('http://127.0.0.1:${process.env.APP_PORT}/health'), "the health check asks the app's /health at APP_PORT");
    assert.equal(image.cmd, undefined, "the command is each service's own");
    assert.ok(checkBuildCommands(BASE, base.comments.join('\n')) >= 2, `${BASE}: its comment shows how to build an image`);
  });

  for (const folder of imageFolders) {
    const path = `services/${folder}/Dockerfile`;
    test(`${path}: FROM base, and only its own lines`, () => {
      const file = parseDockerfile(path);
      assert.equal(file.globalArgs.size, 0, `${path}: no build args`);
      assert.equal(file.stages.length, 1, `${path}: one stage, on the base`);
      const [stage] = file.stages;
      assert.deepEqual([stage?.from, stage?.name], ['base', undefined], `${path}: starts FROM base (the build context given to it)`);
      const keywords = new Set(stage?.instructions.map((i) => i.keyword));
      for (const keyword of keywords) {
        assert.ok(['ENV', 'EXPOSE', 'HEALTHCHECK', 'CMD'].includes(keyword), `${path}: ${keyword} belongs in ${BASE}, not here (no npm ci, tsc or COPY of its own)`);
      }
      for (const args of all(stage, 'ENV')) {
        for (const [key] of envPairs(args)) assert.ok(!baseEnvKeys.has(key), `${path}: ${key} is set by the base already`);
      }
      const healthcheck = one(stage, 'HEALTHCHECK');
      if (healthcheck !== undefined) assert.notEqual(healthcheck, one(runtimeBase, 'HEALTHCHECK'), `${path}: a HEALTHCHECK of its own, or none: the base's is inherited`);
      const cmd = JSON.parse(one(stage, 'CMD') ?? '[]') as string[];
      assert.equal(cmd[0], 'node', `${path}: CMD runs node`);
      assert.ok(cmd.at(-1)?.endsWith('.js') || cmd.at(-2)?.endsWith('.js'), `${path}: CMD runs compiled JavaScript`);
      assert.ok(existsSync(join(repo, path.replace('Dockerfile', 'tsconfig.json'))), `${path}: a workspace the base compiles`);
      assert.equal(checkBuildCommands(path, file.comments.join('\n')), 2, `${path}: its comment shows how to build its base and itself`);
    });
  }

  test('every Node image Compose builds is built on its base, a build-only service with SERVICE=<its folder>', () => {
    assert.deepEqual(composeImages.map((i) => i.folder).sort(), [...imageFolders].sort(), 'Compose builds every service Dockerfile');
    const bases = new Set<string>();
    for (const { name, service, folder } of composeImages) {
      const baseName = `${name}-base`;
      assert.deepEqual(service.build, { context: '.', dockerfile: `services/${folder}/Dockerfile`, additional_contexts: { base: `service:${baseName}` } }, name);
      const webApp = folder === 'web-gateway' ? { WEB_APP: 'true' } : {};
      assert.deepEqual(
        services[baseName],
        { restart: 'no', network_mode: 'none', command: ['node', '-e', ''], build: { context: '.', dockerfile: BASE, args: { SERVICE: folder, ...webApp } } },
        `${baseName}: built for ${name}; up starts it once, on no network, and it exits at once (no profile: Compose refuses a service: context whose profile is off)`,
      );
      bases.add(baseName);
    }
    const built = Object.entries(services).filter(([, s]) => s.build?.dockerfile === BASE).map(([n]) => n);
    assert.deepEqual(built.sort(), [...bases].sort(), `every build of ${BASE} is the base of one image`);
  });

  for (const { name, service, folder } of composeImages) {
    test(`Compose ${name}: the command, ports and environment of its image`, () => {
      const image = imageOf(folder);
      // An entrypoint set in Compose drops the image's CMD, so Compose repeats it: the same, heap limits included.
      if (service.command) assert.deepEqual(service.command, image.cmd, `${name}: Compose runs the image's CMD`);
      const env = service.environment ?? {};
      for (const [key, value] of Object.entries(env)) {
        if (image.env.has(key) && value !== null) assert.equal(value, image.env.get(key), `${name}: ${key} as the image sets it`);
        if (/PORT$/.test(key) && !key.startsWith('DAPR_') && value) assert.ok(image.expose.includes(value), `${name}: the image EXPOSEs ${key}=${value}`);
      }
      if (image.env.has('APP_PORT')) assert.equal(image.expose.length, 1, `${name}: one app port`);
      assert.equal(image.workdir, `/app/services/${folder}`);
    });
  }

  const runFile = readRunFile(join(repo, 'dapr', 'dapr.yaml'));
  for (const app of runFile.apps) {
    test(`${app.appID}: its image runs what dapr/dapr.yaml runs, and checks its /health`, () => {
      const dir = relative(repo, app.appDirPath);
      const folder = /^services\/([\w-]+)$/.exec(dir)?.[1] ?? '';
      assert.ok(imageFolders.includes(folder), `${dir}/Dockerfile exists`);
      assert.ok(composeImages.some((i) => i.name === app.appID && i.folder === folder), `Compose ${app.appID} is built from ${dir}/Dockerfile`);
      const image = imageOf(folder);
      assert.deepEqual(image.cmd, app.command, `${dir}/Dockerfile: CMD is the run file's command (same heap limits)`);
      assert.equal(image.env.get('APP_PORT'), String(app.appPort), `${dir}/Dockerfile: APP_PORT`);
      assert.deepEqual(image.expose, [String(app.appPort)], `${dir}/Dockerfile: EXPOSE`);
      assert.equal(image.workdir, `/app/${dir}`, 'runs in its package folder, as the run file does');
      assert.ok(image.user && !['root', '0'].includes(image.user), 'runs as a non-root user');
      assert.equal(image.healthcheck, one(runtimeBase, 'HEALTHCHECK'), "the base's health check, on /health at APP_PORT");
    });
  }

  test("each image gets the compiled code of exactly the workspaces its package imports (the base's npm ls, run here)", async () => {
    const run = all(stageNamed(base, 'dist'), 'RUN').join(' ');
    const list = /workspaces=\$\((.+?)\) &&/.exec(run)?.[1];
    assert.ok(list, `${BASE}: the dist stage lists the workspaces with a command`);
    assert.match(run, /for dir in \$workspaces; do mkdir -p "\/out\/\$dir" && cp -R "\$dir\/dist" "\/out\/\$dir\/"; done/);
    const sh = promisify(execFile);
    // The same command over this checkout's install, which has the tree the base's build stage has.
    const listed = await Promise.all(
      imageFolders.map(async (folder) => (await sh('sh', ['-c', list], { cwd: repo, env: { ...process.env, SERVICE: folder } })).stdout.trim().split('\n').sort()),
    );
    imageFolders.forEach((folder, i) => assert.deepEqual(listed[i], runtimeWorkspaces(`services/${folder}`), `${folder}: ${listed[i]?.join(' ')}`));
  });

  test('the Vue app is where web-gateway looks for it, and only in its image', async () => {
    const config = (await import(pathToFileURL(join(repo, 'services/web-gateway/src/config.ts')).href)) as {
      WebEnvSchema: { shape: { WEB_DIST_DIR: { parse(value: unknown): string } } };
    };
    const webDist = posix.resolve(imageOf('web-gateway').workdir ?? '', config.WebEnvSchema.shape.WEB_DIST_DIR.parse(undefined));
    assert.equal(webDist, '/app/web/dist', 'web-app-true puts it at /out/web/dist, copied to /app');
    const withWebApp = Object.entries(services).filter(([, s]) => s.build?.args?.WEB_APP === 'true').map(([n]) => n);
    assert.deepEqual(withWebApp, ['web-base']);
  });

  test('.dockerignore keeps installs, builds and the Dockerfiles out of the context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const pattern of ['**/node_modules', '**/dist', '**/Dockerfile', '**/*.Dockerfile']) assert.ok(ignored.includes(pattern), pattern);
  });

  test("the README's docker build commands build each image on its base, with the args Compose uses", () => {
    const readme = read('README.md');
    assert.ok(checkBuildCommands('README.md', readme) >= 2);
    for (const m of readme.matchAll(/docker compose build ([a-z -]+)/g)) {
      for (const name of (m[1] ?? '').trim().split(/\s+/)) assert.ok(services[name]?.build, `README.md: docker compose build ${name}: a service Compose builds`);
    }
  });
});
