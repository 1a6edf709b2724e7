import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppProcessSpec } from '@importer/devkit';

const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** A fixture app run from source by the same Node that runs the tests. */
export function fixtureApp(file: string, env: Record<string, string> = {}): AppProcessSpec {
  return { command: process.execPath, args: ['--conditions=source', '--import', 'tsx', join(fixturesDir, file)], env };
}

/** A short random suffix that keeps one run's ids apart from another's. */
export function runSuffix(): string {
  return Math.random().toString(36).slice(2, 8);
}
