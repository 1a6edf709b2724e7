import { describe, expect, it } from 'vitest';
import { formatCount, formatDateTime } from './format.js';

describe('format', () => {
  it('groups counts by thousands, as toLocaleString("en-US") does', () => {
    expect(formatCount(100_000)).toBe('100,000');
    expect(formatCount(7)).toBe('7');
    expect(formatCount(1_234_567)).toBe((1_234_567).toLocaleString('en-US'));
  });

  it('formats each timestamp on its own with the one cached formatter', () => {
    const a = '2026-11-21T10:00:00.000Z';
    const b = '2025-01-02T23:59:00.000Z';
    const expected = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    expect([formatDateTime(a), formatDateTime(b), formatDateTime(a)]).toEqual([expected(a), expected(b), expected(a)]);
    expect(formatDateTime(a)).not.toBe(formatDateTime(b));
  });
});
