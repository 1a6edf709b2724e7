import { setTimeout as sleep } from 'node:timers/promises';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { DropboxFaultBook, type DropboxFaultResponse, type DropboxFaultRuleInput, type DropboxRoute } from './dropbox-faults.js';
import type { DropboxFileNode, DropboxFolderNode, DropboxModel, DropboxNode, SharedFolderLink } from './dropbox-model.js';

/** Who may call: user access tokens (Bearer) and app key/secret pairs (Basic). */
export interface DropboxEmulatorOptions {
  accessTokens?: readonly string[];
  apps?: readonly { key: string; secret: string }[];
  /** Entries per list_folder page when the request sets no `limit` (Dropbox's is about 2000). */
  defaultPageSize?: number;
  latencyMs?: number;
  faults?: DropboxFaultRuleInput[];
}

/** Requests received, faulted ones included. */
export interface DropboxEmulatorCounters {
  routes: Record<DropboxRoute, number>;
  /** Downloads per file path (lower case, from the link's root). */
  downloads: Record<string, number>;
  faultsServed: number;
}

/** Runtime control of a running emulator, in-process. */
export interface DropboxEmulatorControl {
  addFaults(...rules: DropboxFaultRuleInput[]): void;
  clearFaults(): void;
  /** Fault rules with answers still to give. */
  pendingFaults(): number;
  setLatency(ms: number): void;
  counters(): DropboxEmulatorCounters;
  reset(): void;
}

const ListFolderArgSchema = z.object({
  path: z.string(),
  recursive: z.boolean().default(false),
  limit: z.number().int().min(1).max(2000).optional(),
  shared_link: z.object({ url: z.string(), password: z.string().optional() }).optional(),
  include_deleted: z.boolean().optional(),
  include_non_downloadable_files: z.boolean().default(true),
}).loose();
const ContinueArgSchema = z.object({ cursor: z.string().min(1) });
const LinkArgSchema = z.object({ url: z.string(), path: z.string().optional(), link_password: z.string().optional() });
const CursorSchema = z.object({ l: z.string(), p: z.string(), o: z.number().int().nonnegative(), n: z.number().int().positive(), d: z.boolean() });

/** An answer other than success, as Dropbox gives it. */
class Reject extends Error {
  constructor(
    readonly status: number,
    readonly body: string | Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
  }
}

const conflict = (error: Record<string, unknown>, userMessage?: string): Reject => {
  const tags: string[] = [];
  for (let node: unknown = error; node && typeof node === 'object' && typeof (node as Record<string, unknown>)['.tag'] === 'string'; ) {
    const tag = (node as Record<string, string>)['.tag'] as string;
    tags.push(tag);
    node = (node as Record<string, unknown>)[tag];
  }
  return new Reject(409, { error_summary: `${tags.join('/')}/`, error, ...(userMessage ? { user_message: { text: userMessage, locale: 'en' } } : {}) });
};
const badInput = (route: string, message: string) => new Reject(400, `Error in call to API function "${route}": ${message}`);

function sendReject(res: Response, reject: Reject): void {
  res.status(reject.status);
  for (const [name, value] of Object.entries(reject.headers)) res.setHeader(name, value);
  if (typeof reject.body === 'string') res.type('text/plain; charset=utf-8').send(reject.body);
  else res.type('application/json').send(JSON.stringify(reject.body));
}

/** JSON for a header: every character from U+007F on escaped, as Dropbox and its SDK do. */
const headerJson = (value: unknown) => JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** An entry as list_folder shows it to someone who is not the owner: no path_lower / path_display. */
function entry(node: DropboxNode): Record<string, unknown> {
  if (node.kind === 'folder') return { '.tag': 'folder', name: node.name, id: node.id };
  return {
    '.tag': 'file',
    name: node.name,
    id: node.id,
    client_modified: node.serverModified,
    server_modified: node.serverModified,
    rev: node.contentHash.slice(0, 12),
    size: node.content.length,
    is_downloadable: node.isDownloadable,
    content_hash: node.contentHash,
  };
}

function linkMetadata(link: SharedFolderLink, node: DropboxNode): Record<string, unknown> {
  const common = { url: link.url, id: node.id, name: node.name, link_permissions: { resolved_visibility: { '.tag': 'public' }, can_revoke: false, allow_download: true } };
  return node.kind === 'folder'
    ? { '.tag': 'folder', ...common }
    : { '.tag': 'file', ...common, client_modified: node.serverModified, server_modified: node.serverModified, rev: node.contentHash.slice(0, 12), size: node.content.length };
}

/**
 * Builds the Dropbox v2 emulator without listening: files/list_folder (+ /continue) and sharing/get_shared_link_metadata
 * on the RPC host, sharing/get_shared_link_file on the content host (one app serves both paths), with Dropbox's
 * auth rules (Bearer or Basic; 400 plain text without, 401 JSON for a bad token), its 409 error unions, 429 with
 * Retry-After, and scripted faults. Shared links must keep their rlkey.
 */
export function buildDropboxEmulatorApp(model: DropboxModel, options: DropboxEmulatorOptions = {}): { app: express.Express; control: DropboxEmulatorControl } {
  const faults = new DropboxFaultBook();
  faults.add(...(options.faults ?? []));
  const initialLatency = options.latencyMs ?? 0;
  let latency = initialLatency;
  let counters: DropboxEmulatorCounters;
  const resetCounters = () => {
    counters = { routes: { list_folder: 0, 'list_folder/continue': 0, get_shared_link_metadata: 0, get_shared_link_file: 0 }, downloads: {}, faultsServed: 0 };
  };
  resetCounters();
  const control: DropboxEmulatorControl = {
    addFaults: (...rules) => faults.add(...rules),
    clearFaults: () => faults.clear(),
    pendingFaults: () => faults.pending(),
    setLatency: (ms) => {
      latency = ms;
    },
    counters: () => structuredClone(counters),
    reset: () => {
      faults.clear();
      resetCounters();
      latency = initialLatency;
    },
  };

  const tokens = new Set(options.accessTokens ?? []);
  const apps = new Map((options.apps ?? []).map((a) => [a.key, a.secret]));
  const checkAuth = (req: Request, route: string) => {
    const header = req.get('authorization');
    if (!header) throw badInput(route, 'Must provide HTTP header "Authorization" or URL parameter "authorization".');
    const [scheme, value = ''] = header.split(' ', 2);
    if (scheme === 'Bearer') {
      if (!value) throw badInput(route, `Invalid authorization value in HTTP header "Authorization": "${header}". Expecting "Bearer <oauth2-access-token>".`);
      if (!tokens.has(value)) throw new Reject(401, { error_summary: 'invalid_access_token/...', error: { '.tag': 'invalid_access_token' } });
      return;
    }
    if (scheme === 'Basic') {
      const [key, secret] = Buffer.from(value, 'base64').toString('utf8').split(':', 2);
      if (!key || apps.get(key) !== secret) throw new Reject(401, { error_summary: 'invalid_access_token/..', error: { '.tag': 'invalid_access_token' } });
      return;
    }
    throw badInput(route, `Invalid authorization value in HTTP header "Authorization": "${header}".`);
  };

  const resolve = (url: string, notFound: () => Reject): SharedFolderLink => {
    const link = model.resolveLink(url);
    if (link === 'denied') throw conflict({ '.tag': 'shared_link_access_denied' });
    if (!link) throw notFound();
    return link;
  };

  const parse = <T>(schema: z.ZodType<T>, value: unknown, route: string): T => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw badInput(route, `request body: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`);
    return parsed.data;
  };

  /** Runs one request: count, latency, auth, scripted fault, then the normal answer. */
  const serve =
    (route: DropboxRoute, target: (req: Request) => string | undefined, answer: (req: Request, res: Response, fault: DropboxFaultResponse | undefined) => void) =>
    async (req: Request, res: Response) => {
      counters.routes[route] += 1;
      if (latency > 0) await sleep(latency);
      try {
        checkAuth(req, route.startsWith('list') ? `files/${route}` : `sharing/${route}`);
        let path: string | undefined;
        try {
          path = target(req);
        } catch {
          path = undefined;
        }
        const fault = faults.take(route, path);
        if (fault) counters.faultsServed += 1;
        if (fault?.type === 'reset') {
          res.socket?.destroy();
          return;
        }
        if (fault?.type === 'rateLimit') {
          const headers = { 'Retry-After': String(fault.retryAfter) };
          throw fault.body === 'json'
            ? new Reject(429, { error_summary: 'too_many_requests/..', error: { reason: { '.tag': 'too_many_requests' }, retry_after: fault.retryAfter } }, headers)
            : new Reject(429, 'too_many_requests', headers);
        }
        if (fault?.type === 'status') throw new Reject(fault.status, fault.body);
        if (fault?.type === 'conflict') throw conflict(fault.error, fault.userMessage);
        answer(req, res, fault);
      } catch (error) {
        if (error instanceof Reject) sendReject(res, error);
        else sendReject(res, new Reject(500, error instanceof Error ? error.message : String(error)));
      }
    };

  const page = (res: Response, link: SharedFolderLink, folder: DropboxFolderNode, path: string, offset: number, limit: number, downloadableOnly: boolean) => {
    const children = [...folder.children.values()].filter((c) => !downloadableOnly || c.kind === 'folder' || c.isDownloadable);
    const slice = children.slice(offset, offset + limit);
    const next = offset + slice.length;
    const cursor = Buffer.from(JSON.stringify({ l: link.url, p: path, o: next, n: limit, d: downloadableOnly })).toString('base64url');
    res.json({ entries: slice.map(entry), cursor, has_more: next < children.length });
  };

  const app = express();
  app.disable('x-powered-by');
  app.use('/2/files', express.json({ type: () => true, limit: '1mb' }));
  app.use('/2/sharing/get_shared_link_metadata', express.json({ type: () => true, limit: '1mb' }));

  app.post(
    '/2/files/list_folder',
    serve(
      'list_folder',
      (req) => String((req.body as { path?: unknown }).path ?? ''),
      (req, res) => {
        const arg = parse(ListFolderArgSchema, req.body, 'files/list_folder');
        if (!arg.shared_link) throw conflict({ '.tag': 'path', path: { '.tag': 'not_found' } });
        if (arg.recursive) throw badInput('files/list_folder', 'Only non-recursive mode is supported for shared link.');
        const link = resolve(arg.shared_link.url, () => conflict({ '.tag': 'path', path: { '.tag': 'not_found' } }));
        const node = model.lookup(link, arg.path);
        if (!node) throw conflict({ '.tag': 'path', path: { '.tag': 'not_found' } });
        if (node.kind !== 'folder') throw conflict({ '.tag': 'path', path: { '.tag': 'not_folder' } });
        page(res, link, node, arg.path, 0, arg.limit ?? options.defaultPageSize ?? 2000, !arg.include_non_downloadable_files);
      },
    ),
  );

  app.post(
    '/2/files/list_folder/continue',
    serve(
      'list_folder/continue',
      (req) => CursorSchema.parse(JSON.parse(Buffer.from(String((req.body as { cursor?: unknown }).cursor), 'base64url').toString('utf8'))).p,
      (req, res) => {
        const { cursor } = parse(ContinueArgSchema, req.body, 'files/list_folder/continue');
        let state: z.infer<typeof CursorSchema>;
        try {
          state = CursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
        } catch {
          throw badInput('files/list_folder/continue', 'Invalid "cursor" parameter: not a cursor.');
        }
        const link = model.resolveLink(state.l);
        const node = link && link !== 'denied' ? model.lookup(link, state.p) : undefined;
        if (!link || link === 'denied' || !node || node.kind !== 'folder') throw conflict({ '.tag': 'reset' });
        page(res, link, node, state.p, state.o, state.n, state.d);
      },
    ),
  );

  app.post(
    '/2/sharing/get_shared_link_metadata',
    serve(
      'get_shared_link_metadata',
      (req) => (req.body as { path?: string }).path ?? '',
      (req, res) => {
        const arg = parse(LinkArgSchema, req.body, 'sharing/get_shared_link_metadata');
        const link = resolve(arg.url, () => conflict({ '.tag': 'shared_link_not_found' }));
        const node = model.lookup(link, arg.path ?? '');
        if (!node) throw conflict({ '.tag': 'shared_link_not_found' });
        res.json(linkMetadata(link, node));
      },
    ),
  );

  const downloadArg = (req: Request): z.infer<typeof LinkArgSchema> => {
    const text = req.get('dropbox-api-arg') ?? (typeof req.query.arg === 'string' ? req.query.arg : undefined);
    if (!text) throw badInput('sharing/get_shared_link_file', 'Must provide HTTP header "Dropbox-API-Arg" or URL parameter "arg".');
    try {
      return LinkArgSchema.parse(JSON.parse(text));
    } catch {
      throw badInput('sharing/get_shared_link_file', 'HTTP header "Dropbox-API-Arg": could not decode input as JSON');
    }
  };
  const download = serve(
    'get_shared_link_file',
    (req) => downloadArg(req).path,
    (req, res, fault) => {
      const arg = downloadArg(req);
      const link = resolve(arg.url, () => conflict({ '.tag': 'shared_link_not_found' }));
      const node = arg.path === undefined ? link.root : model.lookup(link, arg.path);
      if (!node) throw conflict({ '.tag': 'shared_link_not_found' });
      if (node.kind === 'folder') throw conflict({ '.tag': 'shared_link_is_directory' });
      if (!node.isDownloadable) throw conflict({ '.tag': 'unsupported_link_type' });
      const key = (arg.path ?? '').toLowerCase();
      counters.downloads[key] = (counters.downloads[key] ?? 0) + 1;
      sendFile(res, link, node, fault);
    },
  );
  app.post('/2/sharing/get_shared_link_file', download);
  app.get('/2/sharing/get_shared_link_file', download);
  app.use((req, res) => sendReject(res, new Reject(404, `Unknown API function: "${req.path}"`)));
  return { app, control };
}

function sendFile(res: Response, link: SharedFolderLink, node: DropboxFileNode, fault: DropboxFaultResponse | undefined): void {
  let body = node.content;
  if (fault?.type === 'corrupt' && body.length > 0) {
    body = Buffer.from(body);
    const at = body.length - 1;
    body[at] = (body[at] ?? 0) ^ 0xff;
  }
  res.status(200);
  res.setHeader('Content-Type', 'application/octet-stream');
  res.setHeader('Content-Length', String(body.length));
  res.setHeader('Dropbox-API-Result', headerJson(linkMetadata(link, node)));
  if (fault?.type !== 'resetMidBody') {
    res.end(body);
    return;
  }
  const cut = Math.min(body.length, fault.afterBytes ?? Math.floor(body.length / 2));
  res.write(body.subarray(0, cut), () => res.socket?.destroy());
}
