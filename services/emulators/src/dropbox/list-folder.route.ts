import type { Response } from 'express';
import { z } from 'zod';
import type { EmulatedRoute } from '../shared/emulated-route.handler.js';
import { listEntry } from './dropbox-entries.js';
import type { DropboxRoute } from './dropbox-faults.js';
import type { DropboxFolderNode, DropboxModel, SharedFolderLink } from './dropbox-model.js';
import { parseArg, resolveSharedLink } from './dropbox-request.js';
import { badInput, conflict } from './dropbox-responses.js';

const ListFolderArgSchema = z.object({
  path: z.string(),
  recursive: z.boolean().default(false),
  limit: z.number().int().min(1).max(2000).optional(),
  shared_link: z.object({ url: z.string(), password: z.string().optional() }).optional(),
  include_deleted: z.boolean().optional(),
  include_non_downloadable_files: z.boolean().default(true),
}).loose();
const ContinueArgSchema = z.object({ cursor: z.string().min(1) });
/** What a cursor carries: link, path, offset, page size, downloadable-only. */
const CursorSchema = z.object({ l: z.string(), p: z.string(), o: z.number().int().nonnegative(), n: z.number().int().positive(), d: z.boolean() });
type Cursor = z.infer<typeof CursorSchema>;

const readCursor = (cursor: string): Cursor => CursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));

function sendPage(res: Response, link: SharedFolderLink, folder: DropboxFolderNode, path: string, offset: number, limit: number, downloadableOnly: boolean): void {
  const children = [...folder.children.values()].filter((c) => !downloadableOnly || c.kind === 'folder' || c.isDownloadable);
  const slice = children.slice(offset, offset + limit);
  const next = offset + slice.length;
  const cursor = Buffer.from(JSON.stringify({ l: link.url, p: path, o: next, n: limit, d: downloadableOnly } satisfies Cursor)).toString('base64url');
  res.json({ entries: slice.map(listEntry), cursor, has_more: next < children.length });
}

/** files/list_folder of a shared link's folder (non-recursive, as Dropbox allows for links), `defaultPageSize` entries a page. */
export function listFolderRoute(model: DropboxModel, defaultPageSize: number): EmulatedRoute<DropboxRoute> {
  const notFound = () => conflict({ '.tag': 'path', path: { '.tag': 'not_found' } });
  return {
    route: () => 'list_folder',
    target: (req) => String((req.body as { path?: unknown }).path ?? ''),
    answer: (req, res) => {
      const arg = parseArg(ListFolderArgSchema, req.body, 'list_folder');
      if (!arg.shared_link) throw notFound();
      if (arg.recursive) throw badInput('list_folder', 'Only non-recursive mode is supported for shared link.');
      const link = resolveSharedLink(model, arg.shared_link.url, notFound);
      const node = model.lookup(link, arg.path);
      if (!node) throw notFound();
      if (node.kind !== 'folder') throw conflict({ '.tag': 'path', path: { '.tag': 'not_folder' } });
      sendPage(res, link, node, arg.path, 0, arg.limit ?? defaultPageSize, !arg.include_non_downloadable_files);
    },
  };
}

/** files/list_folder/continue: the next page of a cursor; one whose link or folder is gone is 409 reset. */
export function listFolderContinueRoute(model: DropboxModel): EmulatedRoute<DropboxRoute> {
  return {
    route: () => 'list_folder/continue',
    target: (req) => readCursor(String((req.body as { cursor?: unknown }).cursor)).p,
    answer: (req, res) => {
      const { cursor } = parseArg(ContinueArgSchema, req.body, 'list_folder/continue');
      let state: Cursor;
      try {
        state = readCursor(cursor);
      } catch {
        throw badInput('list_folder/continue', 'Invalid "cursor" parameter: not a cursor.');
      }
      const link = model.resolveLink(state.l);
      const node = link && link !== 'denied' ? model.lookup(link, state.p) : undefined;
      if (!link || link === 'denied' || !node || node.kind !== 'folder') throw conflict({ '.tag': 'reset' });
      sendPage(res, link, node, state.p, state.o, state.n, state.d);
    },
  };
}
