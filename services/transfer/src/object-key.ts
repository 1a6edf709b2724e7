import { createHash } from 'node:crypto';
import type { SourceKind } from '@importer/contracts';

/**
 * The object key of an imported image: derived from its owner, the source and the source's id of the file only, never
 * from its name (which a user controls and which is not unique), so every retry and re-import writes the same key and
 * two users importing the same file never share one object. The owner's id (a uuid) leads, so one user's objects
 * share a prefix; an image nobody owns yet (a job from before accounts) keeps the key it was given before owners.
 */
export function objectKey(ownerId: string | null, source: SourceKind, sourceFileId: string): string {
  const digest = createHash('sha256').update(`${source}\u0000${sourceFileId}`).digest('hex');
  const key = `${source}/${digest.slice(0, 2)}/${digest.slice(2, 4)}/${digest}`;
  return ownerId === null ? key : `${ownerId}/${key}`;
}
