import type { z } from 'zod';
import { DriveRejection } from './drive-responses.js';
import { type FieldSchema, InvalidFieldSelection, parseFieldSelection, type Selection } from './field-selection.js';
import { invalidParameter } from './google-errors.js';

/**
 * The folder id of the one query form the emulator supports: `'<id>' in parents`, alone or with
 * `and trashed = false` on either side (keywords in any case, any spacing). Anything else is null.
 */
export function parseParentsQuery(q: string): string | null {
  const parents = String.raw`'([A-Za-z0-9_-]+)'\s+in\s+parents`;
  const trashed = String.raw`trashed\s*=\s*false`;
  const forms = [
    new RegExp(String.raw`^\s*${parents}\s*$`, 'i'),
    new RegExp(String.raw`^\s*${parents}\s+and\s+${trashed}\s*$`, 'i'),
    new RegExp(String.raw`^\s*${trashed}\s+and\s+${parents}\s*$`, 'i'),
  ];
  for (const form of forms) {
    const id = form.exec(q)?.[1];
    if (id) return id;
  }
  return null;
}

/** `X-Goog-Drive-Resource-Keys: id1/key1,id2/key2` as a map; malformed pairs are ignored. */
export function parseResourceKeys(header: string | undefined): Map<string, string> {
  const keys = new Map<string, string>();
  for (const pair of (header ?? '').split(',')) {
    const slash = pair.indexOf('/');
    if (slash <= 0) continue;
    const id = pair.slice(0, slash).trim();
    const key = pair.slice(slash + 1).trim();
    if (id && key) keys.set(id, key);
  }
  return keys;
}

/** Parameters given twice arrive as arrays; Drive takes one value, so those are a 400 too. */
export function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  throw new DriveRejection(invalidParameter(String(parsed.error.issues[0]?.path[0] ?? 'query')));
}

/** A boolean parameter as Drive reads it: `true` or `false` in any case, absent meaning false. */
export function parseFlag(value: string | undefined, name: string): boolean {
  if (value === undefined) return false;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new DriveRejection(invalidParameter(name, `Invalid value '${value}'. Expected a boolean.`));
}

/** The `fields` parameter against a resource's schema, `fallback` when absent. */
export function parseFields(fields: string | undefined, fallback: string, schema: FieldSchema): Selection {
  try {
    return parseFieldSelection(fields ?? fallback, schema);
  } catch (error) {
    if (error instanceof InvalidFieldSelection) throw new DriveRejection(invalidParameter('fields', error.message, 'invalidParameter'));
    throw error;
  }
}
