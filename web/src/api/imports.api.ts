import {
  type ImportAccepted,
  ImportAcceptedV1,
  type ImportFolderRequest,
  type ImportUrlsAccepted,
  ImportUrlsAcceptedV1,
} from '@importer/contracts';
import { type HttpClient, jsonBody } from './http-client.js';

/** Sources a folder link can name, and the API route that imports each. */
export const FOLDER_IMPORT_PATHS = {
  google_drive: '/import/google-drive',
  dropbox: '/import/dropbox',
} as const;
export type FolderSource = keyof typeof FOLDER_IMPORT_PATHS;

export interface ImportsApi {
  importFolder(source: FolderSource, request: Partial<ImportFolderRequest> & Pick<ImportFolderRequest, 'folder_url'>): Promise<ImportAccepted>;
  importUrls(urls: string[]): Promise<ImportUrlsAccepted>;
  /** A CSV file as it is, streamed to the API, which finds the URL column. */
  importCsv(file: Blob): Promise<ImportUrlsAccepted>;
}

export function importsApi(http: HttpClient): ImportsApi {
  return {
    importFolder: (source, request) => http.request(ImportAcceptedV1, FOLDER_IMPORT_PATHS[source], jsonBody(request)),
    importUrls: (urls) => http.request(ImportUrlsAcceptedV1, '/import/urls', jsonBody({ urls })),
    importCsv: (file) => http.request(ImportUrlsAcceptedV1, '/import/urls', { method: 'POST', body: file, headers: { 'content-type': 'text/csv' } }),
  };
}
