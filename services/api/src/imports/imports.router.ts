import { Router } from 'express';
import { expressPath, ImportFolderRequestV1, PublicRoutes, type SourceKind } from '@importer/contracts';
import { asyncHandler } from '../http/async-handler.js';
import type { ImportService } from './import.service.js';

/** The folder imports, one path per source, all the same shape. */
const FOLDER_IMPORTS = [
  [PublicRoutes.importGoogleDrive, 'google_drive'],
  [PublicRoutes.importDropbox, 'dropbox'],
] as const satisfies readonly (readonly [{ path: string; method: 'POST' }, SourceKind])[];

/** `POST /import/google-drive` and `POST /import/dropbox`: 202 with the new job, or a 4xx saying what was wrong. */
export function importsRouter(imports: ImportService): Router {
  const router = Router();
  for (const [route, kind] of FOLDER_IMPORTS) {
    router.post(
      expressPath(route),
      asyncHandler(async (req, res) => {
        const request = ImportFolderRequestV1.parse(req.body ?? {});
        res.status(202).json(await imports.importFolder(kind, request));
      }),
    );
  }
  return router;
}
