import type { RouteCounters } from '../shared/emulator.state.js';
import type { DropboxRoute } from './dropbox-faults.js';

/** Requests received, faulted ones included. */
export interface DropboxEmulatorCounters extends RouteCounters<DropboxRoute> {
  /** Downloads per file path (lower case, from the link's root). */
  downloads: Record<string, number>;
}

/** Zero for every route, no download counted yet. */
export function emptyDropboxCounters(): DropboxEmulatorCounters {
  return { routes: { list_folder: 0, 'list_folder/continue': 0, get_shared_link_metadata: 0, get_shared_link_file: 0 }, downloads: {}, faultsServed: 0 };
}

/** Counts a download that got its bytes, by the path it asked for. */
export function countDownload(counters: DropboxEmulatorCounters, path: string | undefined): void {
  const key = (path ?? '').toLowerCase();
  counters.downloads[key] = (counters.downloads[key] ?? 0) + 1;
}
