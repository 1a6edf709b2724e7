import { randomUUID } from 'node:crypto';
import type { NewImage } from '../../src/index.js';

/** An image row as the transfer writes one; `sourceFileId` should be the test's own (the table is shared). */
export const newImage = (ownerId: string | null, jobId: string | null, sourceFileId: string, overrides: Partial<NewImage> = {}): NewImage => ({
  id: randomUUID(), ownerId, source: 'google_drive', sourceFileId, jobId, name: `${sourceFileId}.png`, mimeType: 'image/png', size: 10,
  storagePath: `google_drive/${sourceFileId}`, md5: 'b'.repeat(32), width: 2, height: 3, ...overrides,
});
