import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openApiDocument } from './openapi.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

interface PostmanItem {
  name: string;
  item?: PostmanItem[];
  request?: { method: string; url: { path: string[] } };
}

const operations = Object.entries(openApiDocument().paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
  Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path, segments: path.split('/').filter(Boolean) })),
);

test('the Postman collection has a request for every operation of the OpenAPI description', () => {
  const collection = JSON.parse(readFileSync(`${repo}docs/image-importer.postman_collection.json`, 'utf8')) as { item: PostmanItem[] };
  const requests = collection.item.flatMap(function flatten(item: PostmanItem): NonNullable<PostmanItem['request']>[] {
    return [...(item.request ? [item.request] : []), ...(item.item ?? []).flatMap(flatten)];
  });
  assert.ok(operations.length > 0);
  for (const { method, path, segments } of operations) {
    const found = requests.some(
      (r) =>
        r.method === method &&
        r.url.path.length === segments.length &&
        segments.every((segment, i) => (segment.startsWith('{') ? /^\{\{\w+\}\}$/.test(r.url.path[i] ?? '') : segment === r.url.path[i])),
    );
    assert.ok(found, `the Postman collection calls ${method} ${path}`);
  }
});

test('scripts/api-examples.sh calls every operation of the OpenAPI description', () => {
  const script = readFileSync(`${repo}scripts/api-examples.sh`, 'utf8');
  for (const { method, path } of operations) {
    const pattern = path.replace(/\{\w+\}/g, '[^/?"\'\\s]+');
    assert.match(script, new RegExp(`^\\s*(\\[\\[.*\\]\\] && )?call '?[\\d ]+'? ${method} ["']?${pattern}(["'?\\s]|$)`, 'm'), `the script calls ${method} ${path}`);
  }
});
