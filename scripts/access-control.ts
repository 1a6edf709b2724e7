// Writes the public route table's operations into every api Configuration, so a new public route is one command here.
// Usage: npm run access-control (writes), npm run access-control -- --check (exits 1 when a file is stale).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accessControlOperations, DaprApiConfigName } from '@importer/contracts';

const repo = fileURLToPath(new URL('../', import.meta.url));
const FOLDERS = ['dapr', 'compose', 'k8s'];
const OPERATIONS = /^( *)operations:\n(?:\1 {2}- \{[^\n]*\}\n)*/m;

function yamlFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The api Configurations: every YAML file of the deployment folders whose metadata names DaprApiConfigName. */
function apiConfigurations(): string[] {
  const named = new RegExp(`^metadata:\\n(?: +[^\\n]*\\n)*? +name: ${DaprApiConfigName}$`, 'm');
  return FOLDERS.flatMap((folder) => yamlFiles(join(repo, folder))).filter((file) => named.test(readFileSync(file, 'utf8')));
}

/** The file with its operations list written from the table, one flow mapping per operation. */
function withOperations(text: string): string {
  return text.replace(OPERATIONS, (_list, indent: string) => {
    const lines = accessControlOperations().map(({ name, httpVerb }) => `${indent}  - { name: ${name}, httpVerb: [${[...httpVerb].sort().join(', ')}], action: allow }\n`);
    return `${indent}operations:\n${lines.join('')}`;
  });
}

const check = process.argv.includes('--check');
let stale = 0;
for (const file of apiConfigurations()) {
  const text = readFileSync(file, 'utf8');
  if (!OPERATIONS.test(text)) throw new Error(`${relative(repo, file)} has no operations list to write`);
  const written = withOperations(text);
  if (written === text) continue;
  stale++;
  if (check) console.error(`${relative(repo, file)} does not allow what the public route table says: run npm run access-control`);
  else writeFileSync(file, written);
  if (!check) console.log(`wrote ${relative(repo, file)}`);
}
if (check && stale > 0) process.exit(1);
