import {
  type FolderLinkSourceKind,
  type ImportAccepted,
  ImportAcceptedV1,
  type ImportFolderRequest,
  type ImportUrlsAccepted,
  ImportUrlsAcceptedV1,
  PublicRoutes,
  SOURCE_CATALOGUE,
  type SourceKind,
} from '@importer/contracts';
import { type HttpClient, jsonBody } from './http-client.js';

/** Sources a folder link can name: those whose catalogue entry takes one. */
export type FolderSource = FolderLinkSourceKind;

/** The API route that imports from a source, as its catalogue entry names it. */
const importPath = (source: SourceKind) => PublicRoutes[SOURCE_CATALOGUE[source].route].path;

export interface ImportsApi {
  importFolder(source: FolderSource, request: Partial<ImportFolderRequest> & Pick<ImportFolderRequest, 'folder_url'>): Promise<ImportAccepted>;
  importUrls(urls: string[]): Promise<ImportUrlsAccepted>;
  /** A CSV file as it is, streamed to the API, which finds the URL column. */
  importCsv(file: Blob): Promise<ImportUrlsAccepted>;
}

export function importsApi(http: HttpClient): ImportsApi {
  return {
    importFolder: (source, request) => http.request(ImportAcceptedV1, importPath(source), jsonBody(request)),
    importUrls: (urls) => http.request(ImportUrlsAcceptedV1, importPath('url'), jsonBody({ urls })),
    importCsv: (file) => http.request(ImportUrlsAcceptedV1, importPath('url'), { method: 'POST', body: file, headers: { 'content-type': 'text/csv' } }),
  };
}
