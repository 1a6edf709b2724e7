import { Router } from 'express';
import { expressPath, FOLDER_LINK_SOURCES, ImportFolderRequestV1, PublicRoutes } from '@importer/contracts';
import { asyncHandler } from '../http/async-handler.js';
import type { ImportService } from './import.service.js';
import { requireCaller } from '../accounts/caller.js';

/**
 * The folder imports, one route per catalogue entry that takes a folder link (`POST /import/google-drive`,
 * `POST /import/dropbox`), all the same shape: 202 with the new job, or a 4xx saying what was wrong.
 */
export function importsRouter(imports: ImportService): Router {
  const router = Router();
  for (const { kind, route } of FOLDER_LINK_SOURCES) {
    router.post(
      expressPath(PublicRoutes[route]),
      asyncHandler(async (req, res) => {
        const request = ImportFolderRequestV1.parse(req.body ?? {});
        res.status(202).json(await imports.importFolder(requireCaller(res).account.id, kind, request));
      }),
    );
  }
  return router;
}
