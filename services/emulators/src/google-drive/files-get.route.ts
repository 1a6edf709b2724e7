import { z } from 'zod';
import { parseRange } from '../shared/byte-range.js';
import type { EmulatedRoute } from '../shared/emulated-route.handler.js';
import { sendFile } from '../shared/file-body.sender.js';
import { reachable } from './drive-access.js';
import type { DriveRoute } from './drive-faults.js';
import type { DriveModel } from './drive-model.js';
import { parseFields, parseFlag, parseQuery, parseResourceKeys } from './drive-request.js';
import { DEFAULT_FILE_FIELDS, FILE_SCHEMA, fileResource } from './drive-resources.js';
import { DriveRejection, sendDriveJson } from './drive-responses.js';
import { applySelection } from './field-selection.js';
import { googleError, invalidParameter, notFound } from './google-errors.js';

const single = z.string().optional();
const GetQuerySchema = z.object({ key: single, alt: single, fields: single, supportsAllDrives: single });

/** files.get: metadata with `fields`, or with `alt=media` the bytes (ranges too); items the caller cannot reach are 404. */
export function filesGetRoute(model: DriveModel): EmulatedRoute<DriveRoute> {
  return {
    route: (req) => (req.query.alt === 'media' ? 'files.media' : 'files.get'),
    target: (req) => req.params.fileId,
    answer: (req, res, bodyFault) => {
      const query = parseQuery(GetQuerySchema, req.query);
      const id = req.params.fileId ?? '';
      const alt = query.alt ?? 'json';
      if (alt !== 'json' && alt !== 'media') throw new DriveRejection(invalidParameter('alt'));
      const fields = alt === 'json' ? parseFields(query.fields, DEFAULT_FILE_FIELDS, FILE_SCHEMA) : undefined;
      const item = model.get(id);
      if (!reachable(item, parseResourceKeys(req.header('x-goog-drive-resource-keys')), parseFlag(query.supportsAllDrives, 'supportsAllDrives'))) {
        throw new DriveRejection(notFound(id));
      }
      if (fields) {
        sendDriveJson(res, applySelection(fileResource(model, item), fields), bodyFault);
        return;
      }
      if (item.type !== 'file') throw new DriveRejection(googleError({ reason: 'fileNotDownloadable' }));
      const size = item.content.size;
      const range = parseRange(req.header('range'), size);
      if (range === 'unsatisfiable') {
        throw new DriveRejection({ ...googleError({ reason: 'requestedRangeNotSatisfiable' }), headers: { 'Content-Range': `bytes */${size}` } });
      }
      sendFile(res, item.content, {
        contentType: item.mimeType,
        headers: { 'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(item.name)}` },
        ranges: { requested: range },
        fault: bodyFault,
      });
    },
  };
}
