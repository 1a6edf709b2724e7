import { createHash } from 'node:crypto';
import type { SourceKind } from '@importer/contracts';

/**
 * The object key of an imported image: derived from the source and the source's id of the file only, never
 * from its name (which a user controls and which is not unique), so every retry and re-import writes the same key.
 */
export function objectKey(source: SourceKind, sourceFileId: string): string {
  const digest = createHash('sha256').update(`${source}\u0000${sourceFileId}`).digest('hex');
  return `${source}/${digest.slice(0, 2)}/${digest.slice(2, 4)}/${digest}`;
}
