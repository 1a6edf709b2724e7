import { type ImageList, ImageListV1, type SourceKind } from '@importer/contracts';
import type { HttpClient } from './http-client.js';

export interface ImageQuery {
  source?: SourceKind | undefined;
  jobId?: string | undefined;
  cursor?: string | undefined;
  limit?: number;
}

export interface ImagesApi {
  list(query: ImageQuery): Promise<ImageList>;
}

export function imagesApi(http: HttpClient): ImagesApi {
  return {
    list: ({ source, jobId, cursor, limit = 100 }) => {
      const params = new URLSearchParams({ limit: String(limit) });
      if (source) params.set('source', source);
      if (jobId) params.set('job_id', jobId);
      if (cursor) params.set('cursor', cursor);
      return http.request(ImageListV1, `/images?${params}`);
    },
  };
}
