import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PublicRoutes } from './public-api.js';
import { FOLDER_LINK_SOURCES, type FolderLinkSourceKind, isFolderLinkSource, SOURCE_CATALOGUE, SOURCE_ENTRIES, sourceEntry, sourceLabel } from './source-catalogue.js';
import { SourceKindSchema } from './source-file.js';

const filled = (text: unknown) => typeof text === 'string' && text.trim() !== '';

test('every source kind has an entry under its own kind, and the catalogue has no other', () => {
  assert.deepEqual(Object.keys(SOURCE_CATALOGUE).sort(), [...SourceKindSchema.options].sort());
  for (const kind of SourceKindSchema.options) assert.equal(SOURCE_CATALOGUE[kind].kind, kind);
  assert.deepEqual(
    SOURCE_ENTRIES.map((entry) => entry.kind),
    SourceKindSchema.options,
  );
});

test('every entry has a label of its own', () => {
  for (const entry of SOURCE_ENTRIES) assert.ok(filled(entry.label), entry.kind);
  assert.equal(new Set(SOURCE_ENTRIES.map((entry) => entry.label)).size, SOURCE_ENTRIES.length);
  assert.equal(sourceLabel('url'), SOURCE_CATALOGUE.url.label);
});

test('every entry names a POST route of the public table under /import/, its own', () => {
  for (const entry of SOURCE_ENTRIES) {
    const route = PublicRoutes[entry.route];
    assert.ok(route, `${entry.kind}: ${entry.route} is not in the route table`);
    assert.equal(route.method, 'POST', entry.kind);
    assert.match(route.path, /^\/import\/[a-z-]+$/, entry.kind);
  }
  assert.equal(new Set(SOURCE_ENTRIES.map((entry) => entry.route)).size, SOURCE_ENTRIES.length);
});

test('every entry names a rate setting of its own', () => {
  for (const entry of SOURCE_ENTRIES) assert.match(entry.rateSetting, /^[A-Z][A-Z0-9_]*_REQUESTS_PER_SECOND$/, entry.kind);
  assert.equal(new Set(SOURCE_ENTRIES.map((entry) => entry.rateSetting)).size, SOURCE_ENTRIES.length);
});

test('every entry documents its import: summary, description and each error it answers', () => {
  for (const { kind, importDoc } of SOURCE_ENTRIES) {
    assert.ok(filled(importDoc.summary) && filled(importDoc.description), kind);
    assert.ok(filled(importDoc.errors[400]) && filled(importDoc.errors[501]), `${kind} documents its 400 and 501`);
    for (const [status, description] of Object.entries(importDoc.errors)) assert.ok(filled(description), `${kind} ${status}`);
  }
});

test('a folder-link source says how to ask for its link; the others have none', () => {
  const folderKinds: FolderLinkSourceKind[] = FOLDER_LINK_SOURCES.map((entry) => entry.kind);
  assert.deepEqual(folderKinds, SOURCE_ENTRIES.filter((entry) => entry.folderLink !== null).map((entry) => entry.kind));
  assert.ok(folderKinds.includes('google_drive') && folderKinds.includes('dropbox') && !(folderKinds as string[]).includes('url'));
  for (const entry of SOURCE_ENTRIES) {
    assert.equal(isFolderLinkSource(entry.kind), entry.folderLink !== null, entry.kind);
    if (entry.folderLink) assert.ok(filled(entry.folderLink.placeholder) && filled(entry.folderLink.help), entry.kind);
  }
});

test('an entry is found by a kind given as a string; an unknown kind is an error, not another source', () => {
  assert.equal(sourceEntry('dropbox'), SOURCE_CATALOGUE.dropbox);
  assert.throws(() => sourceEntry('box'), /"box" is not a source of the catalogue/);
});
