/** Rows of images loaded ahead of the last one on screen, so a steady scroll never reaches a placeholder. */
export const ROWS_AHEAD = 12;

/**
 * How many cells the grid lays out: every image the API counted (`total`), loaded or not, so the scrollbar spans the
 * whole gallery from the first page on; once the cursor ran out, exactly what was loaded (images deleted meanwhile
 * would otherwise stay as placeholders for good).
 */
export function gridItemCount(loaded: number, total: number | null, exhausted: boolean): number {
  if (exhausted || total === null) return loaded;
  return Math.max(loaded, total);
}

export interface LoadState {
  /** The last cell index on screen (a placeholder's, when the user scrolled past what is loaded). */
  lastVisible: number;
  loaded: number;
  columns: number;
  canLoadMore: boolean;
  loading: boolean;
}

/**
 * Whether to ask for the next page now: while fewer than ROWS_AHEAD rows are loaded beyond the screen. The API pages
 * on a keyset cursor, so a user who jumped far ahead is caught up page after page, each one asked as the last lands.
 */
export function wantsNextPage({ lastVisible, loaded, columns, canLoadMore, loading }: LoadState): boolean {
  return canLoadMore && !loading && loaded - lastVisible <= columns * ROWS_AHEAD;
}
