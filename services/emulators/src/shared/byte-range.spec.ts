import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseRange } from './byte-range.js';

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
