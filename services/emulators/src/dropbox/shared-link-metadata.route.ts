import type { EmulatedRoute } from '../shared/emulated-route.handler.js';
import { linkMetadata } from './dropbox-entries.js';
import type { DropboxRoute } from './dropbox-faults.js';
import type { DropboxModel } from './dropbox-model.js';
import { LinkArgSchema, parseArg, resolveSharedLink } from './dropbox-request.js';
import { conflict } from './dropbox-responses.js';

/** sharing/get_shared_link_metadata of a link's root or of a path under it. */
export function sharedLinkMetadataRoute(model: DropboxModel): EmulatedRoute<DropboxRoute> {
  const notFound = () => conflict({ '.tag': 'shared_link_not_found' });
  return {
    route: () => 'get_shared_link_metadata',
    target: (req) => (req.body as { path?: string }).path ?? '',
    answer: (req, res) => {
      const arg = parseArg(LinkArgSchema, req.body, 'get_shared_link_metadata');
      const link = resolveSharedLink(model, arg.url, notFound);
      const node = model.lookup(link, arg.path ?? '');
      if (!node) throw notFound();
      res.json(linkMetadata(link, node));
    },
  };
}
