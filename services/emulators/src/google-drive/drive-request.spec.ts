import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseParentsQuery, parseResourceKeys } from './drive-request.js';

describe('parseParentsQuery', () => {
  const id = '1InXVYI5q3y51BsGjH6hMEK9CGhCZMNcV';
  for (const q of [
    `'${id}' in parents and trashed = false`,
    `'${id}' in parents and trashed=false`,
    `'${id}' IN parents AND trashed = false`,
    `  '${id}'  in  parents  `,
    `trashed = false and '${id}' in parents`,
  ]) {
    test(`reads the folder of ${JSON.stringify(q)}`, () => assert.equal(parseParentsQuery(q), id));
  }
  for (const q of [
    `name contains 'x'`,
    `'${id}' in parents or trashed = true`,
    `'${id}' in parents and trashed = true`,
    `'${id}' in parents and mimeType = 'image/png'`,
    `'a'b' in parents`,
    '',
  ]) {
    test(`refuses ${JSON.stringify(q)}`, () => assert.equal(parseParentsQuery(q), null));
  }
});

describe('parseResourceKeys', () => {
  test('reads id/key pairs separated by commas and skips malformed ones', () => {
    assert.deepEqual([...parseResourceKeys('a1/0-k1, b2/0-k2,broken,/nokey,c3/')], [
      ['a1', '0-k1'],
      ['b2', '0-k2'],
    ]);
    assert.equal(parseResourceKeys(undefined).size, 0);
  });
});
