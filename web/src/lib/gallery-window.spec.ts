import { describe, expect, it } from 'vitest';
import { gridItemCount, ROWS_AHEAD, wantsNextPage } from './gallery-window.js';

describe('the gallery window', () => {
  it('lays out every counted image before they are loaded, and only the loaded ones once the cursor ran out', () => {
    expect(gridItemCount(200, 100_000, false)).toBe(100_000);
    expect(gridItemCount(200, null, false)).toBe(200);
    expect(gridItemCount(99_990, 100_000, true)).toBe(99_990);
    expect(gridItemCount(300, 250, false)).toBe(300);
  });

  it('asks for the next page while fewer than ROWS_AHEAD rows are loaded past the screen, and never twice at once', () => {
    const state = { lastVisible: 0, loaded: 200, columns: 7, canLoadMore: true, loading: false };
    expect(wantsNextPage({ ...state, lastVisible: 200 - 7 * ROWS_AHEAD - 1 })).toBe(false);
    expect(wantsNextPage({ ...state, lastVisible: 200 - 7 * ROWS_AHEAD })).toBe(true);
    expect(wantsNextPage({ ...state, lastVisible: 50_000 })).toBe(true);
    expect(wantsNextPage({ ...state, lastVisible: 50_000, loading: true })).toBe(false);
    expect(wantsNextPage({ ...state, lastVisible: 50_000, canLoadMore: false })).toBe(false);
  });
});
