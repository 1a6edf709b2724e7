import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { SourceFile, SourceKind } from '@importer/contracts';
import type { ImagesRepository, NewImage, StoredImage } from '@importer/db';
import { type ImageSource, SourceError } from '@importer/providers';
import type { ObjectStoreBinding } from '@importer/sidecar';
import { DownloadDeadline, type DownloadLimits } from './download-deadline.js';
import { hashAsItPasses, type HashedStream, readBody } from './file-body.js';
import { type ImageProbe, probeImage } from './image-probe.js';
import { objectKey } from './object-key.js';

/**
 * What became of one file: already in the gallery with this content, copied into storage (its row is written with
 * the rest of its batch by `record`), failed for good with a reason, or worth another attempt.
 */
export type TransferOutcome =
  | { status: 'unchanged'; imageId: string; bytes: number }
  | { status: 'copied'; image: NewImage }
  | { status: 'failed'; reason: string }
  | { status: 'retry'; reason: string };

/** The job a file is transferred for, and the user whose gallery it goes into (null: a job from before accounts, not claimed yet). */
export interface TransferJob {
  jobId: string;
  ownerId: string | null;
}

/** The streaming upload path for files larger than the S3 binding carries in one request. */
export interface StreamingStore {
  putStream(key: string, body: Readable, contentType: string): Promise<void>;
}

export interface FileTransferDependencies {
  sources: Partial<Record<SourceKind, ImageSource>>;
  images: Pick<ImagesRepository, 'findBySourceFiles' | 'upsertMany'>;
  binding: Pick<ObjectStoreBinding, 'put' | 'maxPayloadBytes'>;
  streaming: StreamingStore;
  /** The total deadline and the idle timeout of every download. */
  download: DownloadLimits;
  newId?: () => string;
}

interface Stored {
  bytes: number;
  md5: string;
  probe: ImageProbe | undefined;
}

class NotAnImage extends Error {}

/** Copies files from their source into storage and records them as images; never throws for a file's own failure. */
export class FileTransferService {
  private readonly newId: () => string;

  constructor(private readonly deps: FileTransferDependencies) {
    this.newId = deps.newId ?? randomUUID;
  }

  /** The images of a batch already in the owner's gallery, looked up at once, for `transfer` to skip. */
  alreadyImported(ownerId: string | null, kind: SourceKind, files: readonly SourceFile[]): Promise<Map<string, StoredImage>> {
    return this.deps.images.findBySourceFiles(ownerId, kind, files.map((f) => f.sourceFileId));
  }

  /** `signal` (the batch's deadline) aborts the download and upload still running, as does the download's own deadline. */
  async transfer(job: TransferJob, kind: SourceKind, file: SourceFile, existing?: StoredImage, signal?: AbortSignal): Promise<TransferOutcome> {
    if (existing && sameContent(existing, file)) return { status: 'unchanged', imageId: existing.id, bytes: existing.size };
    const source = this.deps.sources[kind];
    if (!source) return { status: 'failed', reason: `no ${kind} source is configured in this transfer service` };

    const key = objectKey(job.ownerId, kind, file.sourceFileId);
    let stored: Stored;
    const deadline = new DownloadDeadline(this.deps.download, signal);
    try {
      const opened = await deadline.open(source.openFile(file, { signal: deadline.signal }));
      const body = deadline.watch(opened.stream);
      const declared = opened.size ?? file.size;
      // Straight to streaming only when the source vouches for an image type; otherwise the first bytes must show one.
      stored =
        declared !== null && declared > this.deps.binding.maxPayloadBytes && vouchedImage(file)
          ? await this.streamed(key, file, hashAsItPasses(body), undefined)
          : await this.buffered(key, file, body, signal);
    } catch (error) {
      // Whatever broke once the deadline passed broke because of it: the reason is the deadline's.
      return deadline.signal.aborted ? outcomeOf(deadline.signal.reason) : outcomeOf(error);
    } finally {
      deadline.end();
    }
    if (file.md5 !== null && stored.md5 !== file.md5) {
      return { status: 'retry', reason: `checksum_mismatch: the source listed md5 ${file.md5}, the bytes received hash to ${stored.md5}` };
    }
    const mimeType = stored.probe?.mimeType ?? file.mimeType;
    return {
      status: 'copied',
      image: {
        id: this.newId(),
        ownerId: job.ownerId,
        source: kind,
        sourceFileId: file.sourceFileId,
        jobId: job.jobId,
        name: file.name,
        mimeType,
        size: stored.bytes,
        storagePath: key,
        md5: stored.md5,
        // Verified against the bytes as they passed (DropboxSource), so it is the stored content's.
        contentHash: file.contentHash ?? null,
        width: stored.probe?.width ?? file.width ?? null,
        height: stored.probe?.height ?? file.height ?? null,
      },
    };
  }

  /** Writes the rows of copied files in one statement (a row per file cost the hot path a database round trip each); returns their ids by source file id. */
  record(images: readonly NewImage[]): Promise<Map<string, string>> {
    return this.deps.images.upsertMany(images);
  }

  /** Through the S3 binding in one request, unless the file turns out larger than it carries; `signal` cancels the upload in the sidecar. */
  private async buffered(key: string, file: SourceFile, stream: Readable, signal: AbortSignal | undefined): Promise<Stored> {
    const body = await readBody(stream, this.deps.binding.maxPayloadBytes);
    if (body.kind === 'too-large') {
      const probe = probeImage(body.head);
      if (!probe && !vouchedImage(file)) throw new NotAnImage(`not_an_image: the bytes are not an image (${describe(body.head)})`);
      return this.streamed(key, file, body.continue(), probe);
    }
    const probe = this.checkBytes(file, body.bytes);
    await this.deps.binding.put(key, body.bytes, probe?.mimeType ?? file.mimeType, signal);
    return { bytes: body.bytes.length, md5: body.md5, probe };
  }

  private async streamed(key: string, file: SourceFile, body: HashedStream, knownProbe: ImageProbe | undefined): Promise<Stored> {
    const probe = knownProbe ?? file.mimeType;
    await this.deps.streaming.putStream(key, body.stream, typeof probe === 'string' ? probe : probe.mimeType);
    const { md5, bytes } = body.digest();
    return { bytes, md5, probe: typeof probe === 'string' ? undefined : probe };
  }

  /**
   * The format comes from the bytes when they are a format we read (PNG, JPEG, GIF, WebP, BMP, TIFF, HEIF, AVIF,
   * ICO, SVG); other image types a source vouches for are kept as the source names them, but a page of HTML is
   * not. A source that vouches for no image type (a URL) must send bytes that show one.
   */
  private checkBytes(file: SourceFile, bytes: Uint8Array): ImageProbe | undefined {
    const probe = probeImage(bytes.subarray(0, 64 * 1024));
    if (probe) return probe;
    const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1').trimStart().toLowerCase();
    if (head.startsWith('<!doctype html') || head.startsWith('<html')) {
      throw new NotAnImage(`not_an_image: the source sent an HTML page instead of ${vouchedImage(file) ? `the ${file.mimeType} file` : 'an image'}`);
    }
    if (!vouchedImage(file)) throw new NotAnImage(`not_an_image: the bytes are not an image (${describe(bytes)})`);
    return undefined;
  }
}

/** What the source lists for the file matches what is stored: by md5 (Drive) or content_hash (Dropbox); a URL lists neither. */
function sameContent(existing: StoredImage, file: SourceFile): boolean {
  if (file.md5 !== null && existing.md5 !== file.md5) return false;
  if (file.contentHash && existing.contentHash !== file.contentHash) return false;
  return true;
}

/** The source lists the file with an image type (Drive's mimeType, a Dropbox extension); a URL vouches for none. */
function vouchedImage(file: SourceFile): boolean {
  return file.mimeType.startsWith('image/');
}

/** The first bytes, for a person reading why a file is not an image. */
function describe(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'empty';
  const text = Buffer.from(bytes.subarray(0, 24)).toString('latin1');
  return /^[\x20-\x7e\s]+$/.test(text) ? `starts with "${text.trim()}"` : `starts with bytes ${Buffer.from(bytes.subarray(0, 8)).toString('hex')}`;
}

function outcomeOf(error: unknown): TransferOutcome {
  if (error instanceof NotAnImage) return { status: 'failed', reason: error.message };
  if (error instanceof SourceError) {
    return error.retryable ? { status: 'retry', reason: `${error.reason}: ${error.message}` } : { status: 'failed', reason: `${error.reason}: ${error.message}` };
  }
  return { status: 'retry', reason: error instanceof Error ? error.message : String(error) };
}
