import type { SourceFile } from '@importer/contracts';
import type { ImportFileRow, SourceMeta } from '../entities/import-file.entity.js';

/** As much of a ledger row as it takes to hand its file to the transfer again. */
export type ListedFileRow = Pick<ImportFileRow, 'sourceFileId' | 'name' | 'sourcePath' | 'mimeType' | 'size' | 'sourceMeta'>;

/** The columns of a ListedFileRow, for a SELECT or a RETURNING on `import_files`. */
export const LISTED_FILE_COLUMNS = `source_file_id AS "sourceFileId", name, source_path AS "sourcePath", mime_type AS "mimeType",
  size::float8 AS size, source_meta AS "sourceMeta"`;

/** What of a listed file goes into `source_meta`: what the transfer needs beyond the columns. */
export function toSourceMeta(file: SourceFile): SourceMeta {
  const { locator, md5, contentHash, resourceKey, sharedLink, width, height } = file;
  return { locator, md5, contentHash, resourceKey, sharedLink, width, height };
}

/** A ledger row back into the SourceFile that was listed, as it was stored (transfer reads an older lister's files). */
export function toSourceFile(row: ListedFileRow): SourceFile {
  const meta = row.sourceMeta;
  return {
    sourceFileId: row.sourceFileId,
    name: row.name,
    path: row.sourcePath,
    ...(meta.locator ? { locator: meta.locator } : {}),
    // Only skipped entries are stored without a type, and they are never handed back.
    mimeType: row.mimeType ?? 'application/octet-stream',
    size: row.size,
    md5: meta.md5 ?? null,
    ...(meta.contentHash ? { contentHash: meta.contentHash } : {}),
    ...(meta.resourceKey ? { resourceKey: meta.resourceKey } : {}),
    ...(meta.sharedLink ? { sharedLink: meta.sharedLink } : {}),
    ...(meta.width ? { width: meta.width } : {}),
    ...(meta.height ? { height: meta.height } : {}),
  };
}
