import { Router } from 'express';
import { ImportFolderRequestV1 } from '@importer/contracts';
import { asyncHandler } from '../http/async-handler.js';
import type { ImportService } from './import.service.js';

/** `POST /import/google-drive`: 202 with the new job, or a 4xx saying what was wrong. */
export function importsRouter(imports: ImportService): Router {
  const router = Router();
  router.post(
    '/import/google-drive',
    asyncHandler(async (req, res) => {
      const request = ImportFolderRequestV1.parse(req.body ?? {});
      res.status(202).json(await imports.importFolder('google_drive', request));
    }),
  );
  return router;
}
