import { type ImportAccepted, ImportAcceptedV1, type ImportFolderRequest } from '@importer/contracts';
import { type HttpClient, jsonBody } from './http-client.js';

/** Sources a folder link can name, and the API route that imports each. */
export const FOLDER_IMPORT_PATHS = {
  google_drive: '/import/google-drive',
} as const;
export type FolderSource = keyof typeof FOLDER_IMPORT_PATHS;

export interface ImportsApi {
  importFolder(source: FolderSource, request: Partial<ImportFolderRequest> & Pick<ImportFolderRequest, 'folder_url'>): Promise<ImportAccepted>;
}

export function importsApi(http: HttpClient): ImportsApi {
  return {
    importFolder: (source, request) => http.request(ImportAcceptedV1, FOLDER_IMPORT_PATHS[source], jsonBody(request)),
  };
}
