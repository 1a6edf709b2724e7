import { z } from 'zod';
import type { DropboxRoute } from './dropbox-faults.js';
import type { DropboxModel, SharedFolderLink } from './dropbox-model.js';
import { badInput, conflict, type DropboxRejection } from './dropbox-responses.js';

/** The argument of both shared-link calls: the link and a path under it. */
export const LinkArgSchema = z.object({ url: z.string(), path: z.string().optional(), link_password: z.string().optional() });

/** A call's argument against its schema; anything else is Dropbox's 400 naming the function. */
export function parseArg<T>(schema: z.ZodType<T>, value: unknown, route: DropboxRoute): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badInput(route, `request body: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`);
  return parsed.data;
}

/** The link a URL names: 409 shared_link_access_denied for a wrong rlkey, `notFound()` for no such link. */
export function resolveSharedLink(model: DropboxModel, url: string, notFound: () => DropboxRejection): SharedFolderLink {
  const link = model.resolveLink(url);
  if (link === 'denied') throw conflict({ '.tag': 'shared_link_access_denied' });
  if (!link) throw notFound();
  return link;
}
