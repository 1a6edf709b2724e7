import { randomUUID } from 'node:crypto';
import type { FolderRef, SourceFile, SourceKind } from '@importer/contracts';
import type { DataSource } from 'typeorm';
import { FolderListingsRepository, JobLedgerRepository, JobSummariesRepository } from '../../src/index.js';
import { freshUser } from './fresh-user.fixture.js';

/** The root folder every fresh job lists first. */
export const ROOT: FolderRef = { id: 'root', path: '' };

/** A file as a source lists it, with what the transfer needs beyond the columns. */
export const listedFile = (id: string, path = `${id}.jpg`): SourceFile => ({
  sourceFileId: id,
  name: path.split('/').pop() ?? id,
  path,
  mimeType: 'image/jpeg',
  size: 100,
  md5: 'a'.repeat(32),
  resourceKey: `key-${id}`,
});

/**
 * A job of the test's own, opened as the ImportJob actor opens one (its row, then its root folder), with `files`
 * recorded as the root's first page when given (the root then stays listing, at cursor 'more'), so no test depends on
 * another's. It belongs to `ownerId`, or to a fresh user of its own.
 */
export async function freshJob(db: DataSource, options: { ownerId?: string; source?: SourceKind; files?: SourceFile[] } = {}): Promise<string> {
  const jobId = randomUUID();
  const ownerId = options.ownerId ?? (await freshUser(db)).id;
  await new JobSummariesRepository(db).open({ id: jobId, ownerId, source: options.source ?? 'google_drive', folderUrl: null, webhookUrl: null });
  await new JobLedgerRepository(db).openRoot(jobId, ROOT);
  if (options.files) {
    const recorded = await new FolderListingsRepository(db).recordPage(jobId, ROOT, null, { files: options.files, folders: [], skipped: [], nextCursor: 'more' });
    if (recorded === 'stale') throw new Error('a fresh job took no page');
  }
  return jobId;
}
