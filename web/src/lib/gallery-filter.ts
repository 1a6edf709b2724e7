import type { LocationQuery } from 'vue-router';
import { type SourceKind, SourceKindSchema } from '@importer/contracts';

/** What the gallery lists: one source, one import job, both or neither. */
export interface GalleryFilter {
  source?: SourceKind | undefined;
  jobId?: string | undefined;
}

const queryValue = (query: LocationQuery, key: string) => (typeof query[key] === 'string' ? query[key] : undefined);

/** The filter the gallery's address asks for: `?source=` (an unknown source counts as none) and `?job=`. */
export function galleryFilterOf(query: LocationQuery): GalleryFilter {
  const source = SourceKindSchema.safeParse(queryValue(query, 'source'));
  return { source: source.success ? source.data : undefined, jobId: queryValue(query, 'job') };
}
