import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { devkitConfig } from './config.js';

/** Kinds daprd loads from a resources path; others (Configuration, the run file) are left out. */
const RESOURCE_KINDS = new Set(['Component', 'Resiliency', 'Subscription', 'HTTPEndpoint']);

export interface ResourceSetOptions {
  /** Folders of resource YAML, relative to the repo root, read as daprd reads them (not recursively). */
  from: readonly string[];
  /** App ids allowed to load these resources: replaces every `scopes:` so a test app id can use them. */
  scopes: readonly string[];
  /** Metadata values to set or add, by component name: `{ pubsub: { consumerID: 'x' } }`. */
  metadata?: Record<string, Record<string, string>>;
}

interface MetadataItem {
  name: string;
  value?: string;
  secretKeyRef?: unknown;
}

interface ResourceDoc {
  kind?: string;
  metadata?: { name?: string };
  scopes?: string[];
  spec?: { metadata?: MetadataItem[] };
}

/**
 * Copies the project's real resource YAML into a fresh folder for one test, changing only scopes and
 * the metadata named, so tests exercise the same components that `npm start` runs.
 */
export function prepareResources(options: ResourceSetOptions): string {
  const out = mkdtempSync(join(devkitConfig.dataDir, 'resources-'));
  mkdirSync(out, { recursive: true });
  let index = 0;
  for (const folder of options.from) {
    const dir = resolve(devkitConfig.repoRoot, folder);
    for (const file of readdirSync(dir, { withFileTypes: true })) {
      if (!file.isFile() || !/\.ya?ml$/.test(file.name)) continue;
      const docs = parseAllDocuments(readFileSync(join(dir, file.name), 'utf8'));
      for (const doc of docs) {
        const resource = doc.toJS() as ResourceDoc | null;
        if (!resource?.kind || !RESOURCE_KINDS.has(resource.kind)) continue;
        resource.scopes = [...options.scopes];
        const overrides = options.metadata?.[resource.metadata?.name ?? ''];
        if (overrides) applyMetadata(resource, overrides);
        writeFileSync(join(out, `${String(index++).padStart(2, '0')}-${file.name}`), JSON.stringify(resource, null, 2));
      }
    }
  }
  return out;
}

function applyMetadata(resource: ResourceDoc, overrides: Record<string, string>): void {
  resource.spec ??= {};
  const items = (resource.spec.metadata ??= []);
  for (const [name, value] of Object.entries(overrides)) {
    const existing = items.find((item) => item.name === name);
    if (existing) {
      delete existing.secretKeyRef;
      existing.value = value;
    } else {
      items.push({ name, value });
    }
  }
}

interface ConfigurationDoc {
  spec?: { accessControl?: { policies?: { appId: string; namespace?: string }[] } };
}

/**
 * Copies one of the project's Configuration files for a test, with the app ids its access-control policies name
 * replaced (`{ web: 'gw-web-x1' }`), so a test's own app ids get exactly the policies `npm start` runs with.
 */
export function prepareConfiguration(file: string, callers: Record<string, string>): string {
  const config = parseAllDocuments(readFileSync(resolve(devkitConfig.repoRoot, file), 'utf8'))[0]?.toJS() as ConfigurationDoc;
  for (const policy of config.spec?.accessControl?.policies ?? []) policy.appId = callers[policy.appId] ?? policy.appId;
  const out = mkdtempSync(join(devkitConfig.dataDir, 'config-'));
  const path = join(out, 'config.yaml');
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}
