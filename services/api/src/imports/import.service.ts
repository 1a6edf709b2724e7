import { randomUUID } from 'node:crypto';
import type { FolderRef, ImportAccepted, ImportFolderRequest, SourceKind } from '@importer/contracts';
import { type ImageSource, SourceError } from '@importer/providers';
import type { ImportJobClient } from '../actors/import-job.client.js';
import { ApiError } from '../http/api-error.js';

/** One source that imports folders: how to read its links, and the source itself. */
export interface FolderSource {
  /** Reads a pasted folder link; throws an Error whose message tells a person what is wrong with it. */
  parseFolderLink(url: string): FolderRef;
  source: ImageSource;
}

export type FolderSources = Partial<Record<SourceKind, FolderSource>>;

const SOURCE_NAMES: Record<SourceKind, string> = { google_drive: 'Google Drive', dropbox: 'Dropbox', url: 'the URL list' };

/** Starts folder imports: the link is checked and the folder confirmed visible before any job exists. */
export class ImportService {
  constructor(
    private readonly sources: FolderSources,
    private readonly jobs: Pick<ImportJobClient, 'start'>,
    private readonly newJobId: () => string = randomUUID,
  ) {}

  async importFolder(kind: SourceKind, request: ImportFolderRequest): Promise<ImportAccepted> {
    const folderSource = this.sources[kind];
    if (!folderSource) throw new ApiError(501, 'source_not_available', `Importing from ${SOURCE_NAMES[kind]} is not set up on this server.`);
    let root: FolderRef;
    try {
      root = folderSource.parseFolderLink(request.folder_url);
    } catch (error) {
      throw new ApiError(400, 'not_a_folder_link', (error as Error).message);
    }
    const { name } = await this.inspect(kind, folderSource.source, root);
    const jobId = this.newJobId();
    const state = await this.jobs.start({
      jobId,
      source: kind,
      folderUrl: request.folder_url,
      root,
      recursive: request.recursive,
      webhookUrl: request.webhook_url ?? null,
    });
    return { job_id: jobId, status: state.status, message: `Importing the folder "${name}"${request.recursive ? ' and its subfolders' : ''}.` };
  }

  /** Drive answers a list of an unknown folder with an empty page, so the folder itself is asked for first. */
  private async inspect(kind: SourceKind, source: ImageSource, root: FolderRef): Promise<{ name: string }> {
    try {
      return await source.inspectRoot(root);
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      const where = SOURCE_NAMES[kind];
      switch (error.kind) {
        case 'not_found':
          throw new ApiError(
            404,
            'folder_not_found',
            `${where} has no folder ${root.id} that this server can see: it does not exist, or it is not shared as "Anyone with the link". (${error.message})`,
          );
        case 'rate_limited':
        case 'transient': {
          const seconds = Math.ceil((error.details.retryAfterMs ?? 30_000) / 1000);
          throw new ApiError(503, 'source_unavailable', `${where} is not answering right now (${error.message}); try again in ${seconds} s.`, {
            'Retry-After': String(seconds),
          });
        }
        default:
          throw new ApiError(502, 'source_refused', `${where} refused the request: ${error.message}`);
      }
    }
  }
}
