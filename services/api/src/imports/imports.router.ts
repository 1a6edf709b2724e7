import { Router } from 'express';
import { ImportFolderRequestV1, type SourceKind } from '@importer/contracts';
import { asyncHandler } from '../http/async-handler.js';
import type { ImportService } from './import.service.js';

/** The folder imports, one path per source, all the same shape. */
const FOLDER_IMPORTS = { '/import/google-drive': 'google_drive', '/import/dropbox': 'dropbox' } as const satisfies Record<string, SourceKind>;

/** `POST /import/google-drive` and `POST /import/dropbox`: 202 with the new job, or a 4xx saying what was wrong. */
export function importsRouter(imports: ImportService): Router {
  const router = Router();
  for (const [path, kind] of Object.entries(FOLDER_IMPORTS)) {
    router.post(
      path,
      asyncHandler(async (req, res) => {
        const request = ImportFolderRequestV1.parse(req.body ?? {});
        res.status(202).json(await imports.importFolder(kind, request));
      }),
    );
  }
  return router;
}
