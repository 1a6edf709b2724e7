import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseParentsQuery, parseRange, parseResourceKeys } from './drive-request.js';

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

describe('parseRange', () => {
  const cases: [string | undefined, number, ReturnType<typeof parseRange>][] = [
    ['bytes=0-9', 100, { start: 0, end: 9 }],
    ['bytes=90-', 100, { start: 90, end: 99 }],
    ['bytes=90-1000', 100, { start: 90, end: 99 }],
    ['bytes=-10', 100, { start: 90, end: 99 }],
    ['bytes=-1000', 100, { start: 0, end: 99 }],
    ['bytes=100-', 100, 'unsatisfiable'],
    ['bytes=5-2', 100, 'unsatisfiable'],
    ['bytes=-0', 100, 'unsatisfiable'],
    ['bytes=0-0', 0, 'unsatisfiable'],
    ['bytes=0-1,5-6', 100, undefined],
    ['items=0-9', 100, undefined],
    ['bytes=-', 100, undefined],
    [undefined, 100, undefined],
  ];
  for (const [header, size, expected] of cases) {
    test(`${JSON.stringify(header)} of ${size} bytes → ${JSON.stringify(expected)}`, () => assert.deepEqual(parseRange(header, size), expected));
  }
});
