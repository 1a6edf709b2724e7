import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { devkitConfig } from './config.js';

/*
 * .env.example against what the services read. Which variables each service reads: its config loader, run over an
 * environment that records every read (the loader is the one place that reads process.env, the database loader it
 * calls included). What a variable's default is: its zod field, from the env schemas the packages export.
 */

/** A service and its config loader; `schema` is the name its env schema is exported under. */
interface ServiceConfig {
  service: string;
  module: string;
  loader: string;
  schema: string;
}

const SERVICES: readonly ServiceConfig[] = [
  { service: 'api', module: 'services/api/src/config.ts', loader: 'loadApiConfig', schema: 'ApiEnvSchema' },
  { service: 'lister', module: 'services/lister/src/config.ts', loader: 'loadListerConfig', schema: 'ListerEnvSchema' },
  { service: 'transfer', module: 'services/transfer/src/config.ts', loader: 'loadTransferConfig', schema: 'TransferEnvSchema' },
  { service: 'web-gateway', module: 'services/web-gateway/src/config.ts', loader: 'loadWebGatewayConfig', schema: 'WebEnvSchema' },
  { service: 'db', module: 'services/db/src/config.ts', loader: 'loadDbConfig', schema: 'DbConfigSchema' },
];

/** The env schemas the services compose theirs from. */
const SHARED_SCHEMAS: readonly { module: string; schemas: readonly string[] }[] = [
  { module: 'services/providers/src/index.ts', schemas: ['GoogleEnvSchema', 'DropboxEnvSchema', 'UrlImportEnvSchema'] },
  { module: 'services/sidecar/src/index.ts', schemas: ['SidecarEnvSchema', 'S3EnvSchema'] },
];

interface FieldSchema {
  safeParse(value: unknown): { success: boolean; data?: unknown };
}
interface ObjectSchema {
  shape: Record<string, FieldSchema>;
}
type Module = Record<string, unknown>;

const repo = devkitConfig.repoRoot;
// The services depend on devkit, so they are loaded by path rather than declared as its dependencies.
const load = (path: string): Promise<Module> => import(pathToFileURL(join(repo, path)).href) as Promise<Module>;
const isObjectSchema = (value: unknown): value is ObjectSchema =>
  typeof value === 'object' && value !== null && 'shape' in value && typeof value.shape === 'object' && 'safeParse' in value;

/** One variable of .env.example: its value (undefined for `# NAME=`), its meaning and the services its section names. */
interface Entry {
  name: string;
  value: string | undefined;
  meaning: string | undefined;
  services: string[];
  line: number;
}

const VARIABLE = /^(# )?([A-Z][A-Z0-9_]*)=(.*)$/;
const SECTION = /^# --- ([a-z-]+(?:, [a-z-]+)*)(?:: .+)? ---$/;

function parseEnvExample(text: string): Entry[] {
  const entries: Entry[] = [];
  let services: string[] = [];
  let previous = '';
  text.split('\n').forEach((line, index) => {
    const section = SECTION.exec(line);
    const variable = VARIABLE.exec(line);
    if (section) services = (section[1] ?? '').split(', ');
    else if (variable) {
      const [, commented, name = '', value = ''] = variable;
      assert.ok(!commented || value === '', `.env.example:${index + 1}: a commented-out ${name} has a value`);
      const meaning = previous.startsWith('# ') && !SECTION.test(previous) && !VARIABLE.test(previous) ? previous.slice(2).trim() : undefined;
      entries.push({ name, value: commented ? undefined : value, meaning, services, line: index + 1 });
    }
    previous = line;
  });
  return entries;
}

const entries = parseEnvExample(readFileSync(join(repo, '.env.example'), 'utf8'));
const listed = new Map(entries.map((entry) => [entry.name, entry]));
const { isSecretName } = (await load('services/observability/src/redact.ts')) as { isSecretName: (name: string) => boolean };

/** The environment a loader is given: the listed defaults, and a stand-in for each secret so the config is complete. */
function recordingEnv(read: Set<string>): NodeJS.ProcessEnv {
  const value = (name: string) => listed.get(name)?.value ?? (isSecretName(name) ? 'stand-in-secret-'.padEnd(32, 'x') : undefined);
  return new Proxy({} as NodeJS.ProcessEnv, {
    get: (_, name) => (typeof name === 'string' ? (read.add(name), value(name)) : undefined),
    has: (_, name) => typeof name === 'string' && (read.add(name), value(name) !== undefined),
  });
}

/** Who reads each variable, by service; and every zod field found for it. */
const readers = new Map<string, Set<string>>();
const fields = new Map<string, FieldSchema[]>();
const addFields = (schema: ObjectSchema) => {
  for (const [name, field] of Object.entries(schema.shape)) fields.set(name, [...(fields.get(name) ?? []), field]);
};
for (const { module, schemas } of SHARED_SCHEMAS) {
  const loaded = await load(module);
  for (const name of schemas) {
    const schema = loaded[name];
    assert.ok(isObjectSchema(schema), `${module} exports the zod object ${name}`);
    addFields(schema);
  }
}
const loaderFailures: string[] = [];
for (const { service, module, loader, schema } of SERVICES) {
  const loaded = await load(module);
  const exported = loaded[schema];
  assert.ok(isObjectSchema(exported), `${module} exports the zod object ${schema}`);
  addFields(exported);
  const read = new Set<string>();
  try {
    (loaded[loader] as (env: NodeJS.ProcessEnv) => unknown)(recordingEnv(read));
  } catch (error) {
    loaderFailures.push(`${service}: ${error instanceof Error ? error.message : String(error)}`);
  }
  for (const name of read) readers.set(name, (readers.get(name) ?? new Set()).add(service));
}

describe('.env.example', () => {
  test('every service accepts the listed defaults (with its secrets set)', () => {
    assert.deepEqual(loaderFailures, []);
  });

  test('lists every variable a service reads', () => {
    assert.deepEqual([...readers.keys()].filter((name) => !listed.has(name)).sort(), []);
  });

  test('lists no variable that no service reads', () => {
    assert.deepEqual(entries.filter((entry) => !readers.has(entry.name)).map((entry) => `${entry.name} (line ${entry.line})`), []);
  });

  test('lists each variable once, under the services that read it, with a one-line meaning', () => {
    const seen = new Set<string>();
    for (const entry of entries) {
      assert.ok(!seen.has(entry.name), `${entry.name} is listed twice (line ${entry.line})`);
      seen.add(entry.name);
      assert.ok(entry.meaning, `${entry.name} (line ${entry.line}) has a comment line above it saying what it means`);
      const readBy = [...(readers.get(entry.name) ?? [])];
      assert.deepEqual([...entry.services].sort(), readBy.sort(), `${entry.name} (line ${entry.line}) is in the section of the services that read it`);
    }
  });

  test('each value is the default of the schemas, and a variable without one is commented out', () => {
    for (const entry of entries) {
      for (const field of fields.get(entry.name) ?? []) {
        const unset = field.safeParse(undefined);
        const fallback = unset.success ? unset.data : undefined;
        if (fallback === undefined) {
          assert.equal(entry.value, undefined, `${entry.name} has no default (or is required): it is listed as \`# ${entry.name}=\``);
          continue;
        }
        assert.notEqual(entry.value, undefined, `${entry.name} has the default ${JSON.stringify(fallback)}: it is listed with it`);
        const given = field.safeParse(entry.value);
        assert.ok(given.success, `${entry.name}=${entry.value} is valid`);
        assert.deepEqual(given.data, fallback, `${entry.name}=${entry.value} is its default, ${JSON.stringify(fallback)}`);
      }
    }
    assert.deepEqual(entries.filter((entry) => !fields.has(entry.name)).map((entry) => entry.name), [], 'every listed variable has a schema field');
  });

  test('secrets have no value', () => {
    const secrets = entries.filter((entry) => isSecretName(entry.name));
    assert.ok(secrets.length > 0);
    for (const entry of secrets) assert.equal(entry.value, undefined, `${entry.name} is a secret: listed as \`# ${entry.name}=\``);
  });
});
