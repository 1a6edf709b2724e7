import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PublicRoutes } from '@importer/contracts';
import { devkitConfig } from './config.js';

/** README claims a test can check: the endpoint table, the configuration table and the pinned versions. */
const read = (file: string) => readFileSync(join(devkitConfig.repoRoot, file), 'utf8');
const readme = read('README.md');

/** The rows of the markdown table that starts with this header line. */
function tableRows(header: string): string[] {
  const start = readme.indexOf(header);
  assert.ok(start >= 0, `the README has the table "${header}"`);
  const rows: string[] = [];
  for (const line of readme.slice(start).split('\n').slice(2)) {
    if (!line.startsWith('|')) break;
    rows.push(line);
  }
  return rows;
}

test("the README's endpoint table lists every route of the public table, and no other", () => {
  const rows = tableRows('| endpoint | what it does |');
  const listed = rows.flatMap((row) => [...(row.split(' | ')[0] ?? '').matchAll(/`(GET|POST) (\/[^`?\s]*)/g)].map((m) => `${m[1]} ${(m[2] ?? '').replace(/\{\w+\}/g, '{}')}`));
  const table = Object.values(PublicRoutes).map((route) => `${route.method} ${route.path.replace(/\{\w+\}/g, '{}')}`);
  assert.deepEqual([...new Set(listed)].sort(), [...new Set(table)].sort());
});

test("every variable in the README's configuration table is one .env.example lists", () => {
  const listed = new Set([...read('.env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
  // A row read from the Dapr secret store (WEBHOOK_SECRET) names no variable of a service.
  const rows = tableRows('| variable | used by | default |').filter((row) => !row.includes('secret store'));
  const named = rows.flatMap((row) => [...(row.split(' | ')[0] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1] ?? ''));
  assert.ok(named.length > 10);
  const missing = named.filter((name) => !listed.has(name));
  assert.deepEqual(missing, []);
});

test("the README's versions are the ones scripts/versions.env pins", () => {
  const pins = Object.fromEntries([...read('scripts/versions.env').matchAll(/^([A-Z_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
  const row = (part: string) => tableRows('| part | version | why |').find((r) => r.startsWith(`| ${part} |`)) ?? '';
  assert.match(row('Dapr runtime'), new RegExp(`\\*\\*${pins.DAPR_VERSION}\\*\\*, \`${pins.DAPR_BUILD_TAGS}\``));
  assert.match(row('Dapr CLI'), new RegExp(`\\| ${pins.DAPR_CLI_VERSION} \\|`));
  assert.ok(row('MinIO').includes(`\`${pins.MINIO_VERSION}\``));
  assert.match(row('kustomize'), new RegExp(`\\| ${String(pins.KUSTOMIZE_VERSION).replace(/^v/, '')} \\|`));
  assert.ok(readme.includes(`--version ${pins.DAPR_VERSION}`), 'the Helm install names the pinned runtime');
});
