import type { RouteCounters } from '../shared/emulator.state.js';
import type { DriveRoute } from './drive-faults.js';

/** Requests received, faulted ones included. */
export interface DriveEmulatorCounters extends RouteCounters<DriveRoute> {
  /** Per file id (per listed folder id for files.list). */
  files: Record<string, Partial<Record<DriveRoute, number>>>;
}

/** Zero for every route, no file counted yet. */
export function emptyDriveCounters(): DriveEmulatorCounters {
  return { routes: { 'files.list': 0, 'files.get': 0, 'files.media': 0 }, files: {}, faultsServed: 0 };
}

/** Counts a request against the file (or listed folder) it is for. */
export function countFile(counters: DriveEmulatorCounters, route: DriveRoute, id: string | undefined): void {
  if (!id) return;
  const entry = (counters.files[id] ??= {});
  entry[route] = (entry[route] ?? 0) + 1;
}
