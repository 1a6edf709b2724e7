import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FILE_LIST_SCHEMA, FILE_SCHEMA } from './drive-resources.js';
import { applySelection, InvalidFieldSelection, parseFieldSelection } from './field-selection.js';

const file = {
  kind: 'drive#file',
  id: 'a',
  name: 'x.png',
  size: '12',
  imageMediaMetadata: { width: 4, height: 3, rotation: 0 },
  shortcutDetails: undefined,
};
const list = { kind: 'drive#fileList', nextPageToken: 't', incompleteSearch: false, files: [file, { ...file, id: 'b' }] };

const select = (fields: string, value: Record<string, unknown> = list) => applySelection(value, parseFieldSelection(fields, FILE_LIST_SCHEMA));

describe('field selection', () => {
  test('nested selections pick exactly the named keys of every list element', () => {
    assert.deepEqual(select('nextPageToken,files(id,imageMediaMetadata(width))'), {
      nextPageToken: 't',
      files: [
        { id: 'a', imageMediaMetadata: { width: 4 } },
        { id: 'b', imageMediaMetadata: { width: 4 } },
      ],
    });
  });

  test('a slash path is the same as a nested selection, and keys absent from the value stay absent', () => {
    assert.deepEqual(select('files/id,files/shortcutDetails'), { files: [{ id: 'a' }, { id: 'b' }] });
  });

  test('leaving nextPageToken out of the selection drops it, as Drive does', () => {
    assert.deepEqual(Object.keys(select('files(id)')), ['files']);
  });

  test('* selects everything at its level', () => {
    assert.deepEqual(select('*'), list);
    assert.deepEqual(select('files(*)').files, list.files);
  });

  test('whitespace around names is tolerated', () => {
    assert.deepEqual(select(' files( id , name ) '), { files: [{ id: 'a', name: 'x.png' }, { id: 'b', name: 'x.png' }] });
  });

  const invalid: [string, string][] = [
    ['items', 'items'],
    ['files(id,bogus)', 'bogus'],
    ['files(imageMediaMetadata(depth))', 'depth'],
    ['files(size(x))', 'size'],
    ['files(id', 'files(id'],
    ['files(id),', 'files(id),'],
  ];
  for (const [fields, selector] of invalid) {
    test(`${JSON.stringify(fields)} is rejected naming ${JSON.stringify(selector)}`, () => {
      assert.throws(() => parseFieldSelection(fields, FILE_LIST_SCHEMA), (e: unknown) => {
        assert.ok(e instanceof InvalidFieldSelection);
        assert.equal(e.message, `Invalid field selection ${selector}`);
        return true;
      });
    });
  }

  test('the File schema serves files.get selections', () => {
    assert.deepEqual(applySelection(file, parseFieldSelection('id,size', FILE_SCHEMA)), { id: 'a', size: '12' });
  });
});
