/**
 * The `fields` parameter of Google's JSON APIs: `a,b/c,d(e,f(g))`, `*` for everything. Parsed into a tree,
 * checked against the resource's schema (an unknown name is Google's 400 "Invalid field selection x"),
 * then applied to a full JSON representation.
 */

/** A resource schema: `true` for a leaf, a nested schema for an object (or an array of objects). */
export interface FieldSchema {
  readonly [name: string]: true | FieldSchema;
}

/** A parsed selection: name → `true` (whole value) or a nested selection. `*` selects everything. */
export type Selection = Map<string, true | Selection>;

export class InvalidFieldSelection extends Error {
  constructor(readonly selector: string) {
    super(`Invalid field selection ${selector}`);
  }
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth += 1;
    else if (ch === ')') {
      depth -= 1;
      if (depth < 0) throw new InvalidFieldSelection(text);
    } else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) throw new InvalidFieldSelection(text);
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

function merge(into: Selection, name: string, value: true | Selection): void {
  const existing = into.get(name);
  if (existing === true || value === true) into.set(name, true);
  else if (existing) for (const [k, v] of value) merge(existing, k, v);
  else into.set(name, value);
}

/** Parses and checks a selection against `schema`. */
export function parseFieldSelection(text: string, schema: FieldSchema): Selection {
  const selection: Selection = new Map();
  for (const part of splitTopLevel(text)) {
    if (part === '') throw new InvalidFieldSelection(text);
    const open = part.indexOf('(');
    const pathText = open === -1 ? part : part.slice(0, open);
    if (open !== -1 && !part.endsWith(')')) throw new InvalidFieldSelection(part);
    const path = pathText.split('/').map((s) => s.trim());
    let node: true | FieldSchema = schema;
    let target = selection;
    for (const [i, name] of path.entries()) {
      if (name === '*' && i === path.length - 1 && open === -1 && node !== true) {
        target.set('*', true);
        break;
      }
      const child: true | FieldSchema | undefined = node !== true && Object.hasOwn(node, name) ? node[name] : undefined;
      if (child === undefined) throw new InvalidFieldSelection(name || part);
      const last = i === path.length - 1;
      if (last && open === -1) {
        merge(target, name, true);
      } else if (last) {
        if (child === true) throw new InvalidFieldSelection(name);
        const inner = parseFieldSelection(part.slice(open + 1, -1), child);
        merge(target, name, inner);
      } else {
        if (child === true) throw new InvalidFieldSelection(path[i + 1] ?? name);
        let next = target.get(name);
        if (next === true) break;
        if (!next) {
          next = new Map();
          target.set(name, next);
        }
        target = next;
      }
      node = child;
    }
  }
  return selection;
}

/** The selected part of `value`; keys absent from `value` stay absent. */
export function applySelection(value: Record<string, unknown>, selection: Selection): Record<string, unknown> {
  if (selection.has('*')) return value;
  const out: Record<string, unknown> = {};
  for (const [name, sub] of selection) {
    const v = value[name];
    if (v === undefined) continue;
    if (sub === true) out[name] = v;
    else if (Array.isArray(v)) out[name] = v.map((e) => applySelection(e as Record<string, unknown>, sub));
    else if (typeof v === 'object' && v !== null) out[name] = applySelection(v as Record<string, unknown>, sub);
  }
  return out;
}
