import { z } from 'zod';
import type { EmulatedRoute } from '../shared/emulated-route.handler.js';
import { reachable } from './drive-access.js';
import type { DriveRoute } from './drive-faults.js';
import type { DriveModel } from './drive-model.js';
import { parseFields, parseFlag, parseParentsQuery, parseQuery, parseResourceKeys } from './drive-request.js';
import { DEFAULT_FILE_LIST_FIELDS, FILE_LIST_SCHEMA, fileResource } from './drive-resources.js';
import { DriveRejection, sendDriveJson } from './drive-responses.js';
import { applySelection } from './field-selection.js';
import { invalidParameter } from './google-errors.js';
import type { PageTokens } from './page-token.js';

const MAX_PAGE_SIZE = 1000;

const single = z.string().optional();
const ListQuerySchema = z.object({
  key: single,
  q: single,
  pageSize: single,
  pageToken: single,
  fields: single,
  supportsAllDrives: single,
  includeItemsFromAllDrives: single,
});

/** files.list for `'<folder>' in parents`: pages of children, scripted empty and short pages, tokens tied to their folder. */
export function filesListRoute(model: DriveModel, tokens: PageTokens): EmulatedRoute<DriveRoute> {
  return {
    route: () => 'files.list',
    target: (req) => {
      const q = typeof req.query.q === 'string' ? req.query.q : undefined;
      return (q && parseParentsQuery(q)) || undefined;
    },
    answer: (req, res, bodyFault) => {
      const query = parseQuery(ListQuerySchema, req.query);
      const fields = parseFields(query.fields, DEFAULT_FILE_LIST_FIELDS, FILE_LIST_SCHEMA);
      const folderId = query.q === undefined ? null : parseParentsQuery(query.q);
      if (folderId === null) throw new DriveRejection(invalidParameter('q'));
      const pageSize = query.pageSize === undefined ? 100 : Number(query.pageSize);
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
        throw new DriveRejection(invalidParameter('pageSize', `Invalid value '${query.pageSize}'. Values must be within the range: [1, ${MAX_PAGE_SIZE}]`));
      }
      const allDrives = parseFlag(query.supportsAllDrives, 'supportsAllDrives');
      const itemsFromAllDrives = parseFlag(query.includeItemsFromAllDrives, 'includeItemsFromAllDrives');
      const position = query.pageToken === undefined ? { folderId, offset: 0, page: 0 } : tokens.read(query.pageToken);
      if (!position || position.folderId !== folderId) throw new DriveRejection(invalidParameter('pageToken'));

      const folder = model.get(folderId);
      const keys = parseResourceKeys(req.header('x-goog-drive-resource-keys'));
      const listable = reachable(folder, keys, allDrives && itemsFromAllDrives) && folder.type === 'folder';
      const page: Record<string, unknown> = { kind: 'drive#fileList', incompleteSearch: false, files: [] };
      if (listable) {
        const scriptedEmpty = folder.emptyPages.includes(position.page);
        let next = position.offset;
        if (!scriptedEmpty) {
          const slice = model.childrenSlice(folder.id, position.offset, Math.min(pageSize, folder.maxPageSize ?? MAX_PAGE_SIZE));
          next += slice.length;
          page.files = slice.filter((child) => !child.private).map((child) => fileResource(model, child));
        }
        if (scriptedEmpty || next < model.childCount(folder.id)) {
          page.nextPageToken = tokens.issue({ folderId: folder.id, offset: next, page: position.page + 1 });
        }
      }
      sendDriveJson(res, applySelection(page, fields), bodyFault);
    },
  };
}
