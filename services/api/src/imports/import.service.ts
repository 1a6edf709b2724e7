import { randomUUID } from 'node:crypto';
import {
  type FolderLinkSourceKind,
  type FolderRef,
  type ImportAccepted,
  type ImportFolderRequest,
  type ImportUrlsAccepted,
  MAX_URLS_PER_IMPORT,
  sourceLabel,
} from '@importer/contracts';
import { type ImageSource, SourceError } from '@importer/providers';
import type { ImportJobClient } from '../actors/import-job.client.js';
import { ApiError } from '../http/api-error.js';
import type { UserWebhookSecrets } from '../webhooks/user-webhook-secrets.js';
import type { ImportQuotas } from './import-quotas.js';

/** One source that imports folders: how to read its links, and the source itself. */
export interface FolderSource {
  /** Reads a pasted folder link; throws an Error whose message tells a person what is wrong with it. */
  parseFolderLink(url: string): FolderRef;
  source: ImageSource;
}

export type FolderSources = Partial<Record<FolderLinkSourceKind, FolderSource>>;

/** Where the lines of a URL list are kept for the lister (PostgreSQL). */
export interface UrlListWriter {
  append(listId: string, first: number, urls: readonly string[]): Promise<void>;
}

/** Lines stored per write while a list streams in. */
const URL_CHUNK = 1000;

/** Starts folder imports: the link is checked and the folder confirmed visible before any job exists. */
export class ImportService {
  private readonly newJobId: () => string;
  private readonly urlLists: UrlListWriter | undefined;
  private readonly webhookSecrets: Pick<UserWebhookSecrets, 'current'> | undefined;
  private readonly quotas: Pick<ImportQuotas, 'beforeJob' | 'checkFileCount' | 'maxFilesPerJob'> | undefined;

  constructor(
    private readonly sources: FolderSources,
    private readonly jobs: Pick<ImportJobClient, 'start'>,
    options: {
      newJobId?: () => string;
      /** Present when URL imports are on. */
      urlLists?: UrlListWriter;
      /** Present when completion webhooks can be signed (a WEBHOOK_SECRET is configured): each owner's secret. */
      webhookSecrets?: Pick<UserWebhookSecrets, 'current'>;
      /** Each user's limits on jobs at once, files per job and bytes stored; none when absent. */
      quotas?: Pick<ImportQuotas, 'beforeJob' | 'checkFileCount' | 'maxFilesPerJob'>;
    } = {},
  ) {
    this.newJobId = options.newJobId ?? randomUUID;
    this.urlLists = options.urlLists;
    this.webhookSecrets = options.webhookSecrets;
    this.quotas = options.quotas;
  }

  /** A webhook_url is taken only when deliveries can be signed. */
  private checkWebhook(url: string | null | undefined): string | null {
    if (!url) return null;
    if (!this.webhookSecrets) throw new ApiError(501, 'webhooks_not_available', 'Completion webhooks are not set up on this server (no WEBHOOK_SECRET in its secret store).');
    return url;
  }

  /** The owner's webhook secret, which signs this job's deliveries, in the 202 of a job with a webhook (also in their settings). */
  private async webhookSecret(ownerId: string, webhookUrl: string | null): Promise<Pick<ImportAccepted, 'webhook_secret'>> {
    const secret = webhookUrl && this.webhookSecrets ? await this.webhookSecrets.current(ownerId) : undefined;
    return secret ? { webhook_secret: secret } : {};
  }

  /**
   * Stores a list of URLs as it streams in (a chunk at a time, so 100,000 lines never sit in memory at once) and
   * starts a job that imports them. The job's id is the list's id.
   */
  async importUrls(ownerId: string, urls: AsyncIterable<string> | Iterable<string>, webhookUrl: string | null): Promise<ImportUrlsAccepted> {
    const lists = this.urlLists;
    if (!lists) throw new ApiError(501, 'source_not_available', 'Importing from a URL list is not set up on this server.');
    const webhook = this.checkWebhook(webhookUrl);
    await this.quotas?.beforeJob(ownerId);
    const jobId = this.newJobId();
    let count = 0;
    let chunk: string[] = [];
    const flush = async () => {
      await lists.append(jobId, count - chunk.length + 1, chunk);
      chunk = [];
    };
    for await (const url of urls) {
      count += 1;
      if (count > MAX_URLS_PER_IMPORT) throw new ApiError(413, 'too_many_urls', `A list may have at most ${MAX_URLS_PER_IMPORT} URLs; split it into several imports.`);
      this.quotas?.checkFileCount(count);
      chunk.push(url);
      if (chunk.length === URL_CHUNK) await flush();
    }
    if (chunk.length) await flush();
    if (count === 0) throw new ApiError(400, 'no_urls', 'The list has no URLs: give {"urls": [...]} or a CSV with a column of image URLs.');
    const state = await this.jobs.start({
      jobId,
      ownerId,
      source: 'url',
      folderUrl: null,
      root: { id: jobId, path: '' },
      recursive: false,
      webhookUrl: webhook,
      maxFiles: this.quotas?.maxFilesPerJob ?? null,
    });
    return {
      job_id: jobId,
      status: state.status,
      message: `Importing ${count} URL${count === 1 ? '' : 's'}.`,
      urls_received: count,
      ...(await this.webhookSecret(ownerId, webhook)),
    };
  }

  async importFolder(ownerId: string, kind: FolderLinkSourceKind, request: ImportFolderRequest): Promise<ImportAccepted> {
    const webhookUrl = this.checkWebhook(request.webhook_url);
    await this.quotas?.beforeJob(ownerId);
    const folderSource = this.sources[kind];
    if (!folderSource) throw new ApiError(501, 'source_not_available', `Importing from ${sourceLabel(kind)} is not set up on this server.`);
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
      ownerId,
      source: kind,
      folderUrl: request.folder_url,
      root,
      recursive: request.recursive,
      webhookUrl,
      maxFiles: this.quotas?.maxFilesPerJob ?? null,
    });
    return {
      job_id: jobId,
      status: state.status,
      message: `Importing the folder "${name}"${request.recursive ? ' and its subfolders' : ''}.`,
      ...(await this.webhookSecret(ownerId, webhookUrl)),
    };
  }

  /** Drive answers a list of an unknown folder with an empty page, so the folder itself is asked for first. */
  private async inspect(kind: FolderLinkSourceKind, source: ImageSource, root: FolderRef): Promise<{ name: string }> {
    try {
      return await source.inspectRoot(root);
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      const where = sourceLabel(kind);
      switch (error.kind) {
        case 'not_found':
          throw new ApiError(
            404,
            'folder_not_found',
            `${where} has no folder ${root.id} that this server can see: it does not exist, or it is not shared as "Anyone with the link". (${error.message})`,
          );
        case 'file_unavailable':
          throw new ApiError(403, 'folder_not_accessible', `${where} does not let this server read the folder: ${error.message}`);
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
