import type { Request } from 'express';
import type { z } from 'zod';
import type { EmulatedRoute } from '../shared/emulated-route.handler.js';
import { bufferBody, sendFile } from '../shared/file-body.sender.js';
import { headerJson, linkMetadata } from './dropbox-entries.js';
import type { DropboxRoute } from './dropbox-faults.js';
import type { DropboxModel } from './dropbox-model.js';
import { LinkArgSchema, resolveSharedLink } from './dropbox-request.js';
import { badInput, conflict } from './dropbox-responses.js';

/** The argument of a content call: the Dropbox-API-Arg header, or the `arg` URL parameter. */
function downloadArg(req: Request): z.infer<typeof LinkArgSchema> {
  const text = req.get('dropbox-api-arg') ?? (typeof req.query.arg === 'string' ? req.query.arg : undefined);
  if (!text) throw badInput('get_shared_link_file', 'Must provide HTTP header "Dropbox-API-Arg" or URL parameter "arg".');
  try {
    return LinkArgSchema.parse(JSON.parse(text));
  } catch {
    throw badInput('get_shared_link_file', 'HTTP header "Dropbox-API-Arg": could not decode input as JSON');
  }
}

/** sharing/get_shared_link_file (content host): the bytes with the file's metadata in Dropbox-API-Result; `onDownload` counts each one sent. */
export function sharedLinkFileRoute(model: DropboxModel, onDownload: (path: string | undefined) => void): EmulatedRoute<DropboxRoute> {
  const notFound = () => conflict({ '.tag': 'shared_link_not_found' });
  return {
    route: () => 'get_shared_link_file',
    target: (req) => downloadArg(req).path,
    answer: (req, res, bodyFault) => {
      const arg = downloadArg(req);
      const link = resolveSharedLink(model, arg.url, notFound);
      const node = arg.path === undefined ? link.root : model.lookup(link, arg.path);
      if (!node) throw notFound();
      if (node.kind === 'folder') throw conflict({ '.tag': 'shared_link_is_directory' });
      if (!node.isDownloadable) throw conflict({ '.tag': 'unsupported_link_type' });
      onDownload(arg.path);
      sendFile(res, bufferBody(node.content), {
        contentType: 'application/octet-stream',
        headers: { 'Dropbox-API-Result': headerJson(linkMetadata(link, node)) },
        fault: bodyFault,
      });
    },
  };
}
