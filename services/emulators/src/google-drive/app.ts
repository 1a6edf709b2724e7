import { setTimeout as sleep } from 'node:timers/promises';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { DriveItem, DriveModel } from './drive-model.js';
import { parseParentsQuery, parseRange, parseResourceKeys } from './drive-request.js';
import { DEFAULT_FILE_FIELDS, DEFAULT_FILE_LIST_FIELDS, FILE_LIST_SCHEMA, FILE_SCHEMA, fileResource } from './drive-resources.js';
import { type DriveRoute, FaultBook, type FaultResponse, type FaultRuleInput, FaultRuleSchema, type FaultRuleState } from './faults.js';
import { applySelection, type FieldSchema, InvalidFieldSelection, parseFieldSelection, type Selection } from './field-selection.js';
import { type GoogleError, googleError, invalidParameter, notFound } from './google-errors.js';
import { PageTokens } from './page-token.js';

/** How the emulator behaves beyond its folder model. */
export interface DriveEmulatorOptions {
  /** API keys accepted; `'any'` (the default) accepts every non-empty key. Others get 400 keyInvalid. */
  apiKeys?: 'any' | readonly string[];
  /** Added before every Drive API answer. */
  latencyMs?: number;
  /** Scripted faults present from the start. */
  faults?: FaultRuleInput[];
  /** Count requests per file id too (default true); turn off for million-file benchmarks. */
  perFileCounters?: boolean;
}

/** Requests received, faulted ones included. */
export interface DriveEmulatorCounters {
  routes: Record<DriveRoute, number>;
  /** Per file id (per listed folder id for files.list). */
  files: Record<string, Partial<Record<DriveRoute, number>>>;
  /** Scripted fault responses given. */
  faultsServed: number;
}

/** Runtime control of a running emulator, in-process; the same operations are served under `/_emulator`. */
export interface DriveEmulatorControl {
  addFaults(...rules: FaultRuleInput[]): void;
  clearFaults(): void;
  faults(): FaultRuleState[];
  setLatency(ms: number): void;
  latencyMs(): number;
  counters(): DriveEmulatorCounters;
  resetCounters(): void;
  /** No faults, zero counters, the latency given at build time. */
  reset(): void;
}

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
const GetQuerySchema = z.object({ key: single, alt: single, fields: single, supportsAllDrives: single });

/** A failed request: the emulator answers it with a Google error. */
class Reject extends Error {
  constructor(readonly error: GoogleError) {
    super(JSON.stringify(error.body));
  }
}

/** Parameters given twice arrive as arrays; Drive takes one value, so those are a 400 too. */
function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  throw new Reject(invalidParameter(String(parsed.error.issues[0]?.path[0] ?? 'query')));
}

function flag(value: string | undefined, name: string): boolean {
  if (value === undefined) return false;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new Reject(invalidParameter(name, `Invalid value '${value}'. Expected a boolean.`));
}

function selection(fields: string | undefined, fallback: string, schema: FieldSchema): Selection {
  try {
    return parseFieldSelection(fields ?? fallback, schema);
  } catch (error) {
    if (error instanceof InvalidFieldSelection) throw new Reject(invalidParameter('fields', error.message, 'invalidParameter'));
    throw error;
  }
}

function sendError(res: Response, error: GoogleError, extraHeaders: Record<string, string> = {}): void {
  res.status(error.status);
  for (const [name, value] of Object.entries({ ...error.headers, ...extraHeaders })) res.setHeader(name, value);
  if (error.body === null) res.end();
  else res.type('application/json; charset=UTF-8').send(JSON.stringify(error.body));
}

/** Builds the Drive v3 emulator (files.list, files.get, alt=media, the `/_emulator` control API) without listening. */
export function buildDriveEmulatorApp(model: DriveModel, options: DriveEmulatorOptions = {}): { app: express.Express; control: DriveEmulatorControl } {
  const faultBook = new FaultBook();
  const initialLatency = options.latencyMs ?? 0;
  const perFile = options.perFileCounters ?? true;
  const tokens = new PageTokens(`emulator:${model.roots().map((r) => r.id).join(',')}`);
  let latency = initialLatency;
  let counters: DriveEmulatorCounters;
  const resetCounters = () => {
    counters = { routes: { 'files.list': 0, 'files.get': 0, 'files.media': 0 }, files: {}, faultsServed: 0 };
  };
  resetCounters();
  faultBook.add(...(options.faults ?? []));

  const control: DriveEmulatorControl = {
    addFaults: (...rules) => faultBook.add(...rules),
    clearFaults: () => faultBook.clear(),
    faults: () => faultBook.state(),
    setLatency: (ms) => {
      latency = ms;
    },
    latencyMs: () => latency,
    counters: () => structuredClone(counters),
    resetCounters,
    reset: () => {
      faultBook.clear();
      resetCounters();
      latency = initialLatency;
    },
  };

  const count = (route: DriveRoute, id: string | undefined) => {
    counters.routes[route] += 1;
    if (perFile && id) {
      const entry = (counters.files[id] ??= {});
      entry[route] = (entry[route] ?? 0) + 1;
    }
  };

  const checkKey = (key: string | undefined) => {
    if (!key) throw new Reject(googleError({ reason: 'forbidden' }));
    if (options.apiKeys && options.apiKeys !== 'any' && !options.apiKeys.includes(key)) throw new Reject(googleError({ reason: 'keyInvalid' }));
  };

  /** Whether an API-key caller sending these resource keys may reach the item directly. */
  const reachable = (item: DriveItem | undefined, keys: Map<string, string>, allDrives: boolean): item is DriveItem =>
    item !== undefined && !item.private && (!item.resourceKey || keys.get(item.id) === item.resourceKey) && (!item.driveId || allDrives);

  /** Runs one Drive request: count, latency, key, scripted fault, then the normal answer. */
  const serve = (route: (req: Request) => { route: DriveRoute; id: string | undefined; key: string | undefined }, answer: (req: Request, res: Response, cutAfter?: number) => void) =>
    async (req: Request, res: Response) => {
      const target = route(req);
      count(target.route, target.id);
      if (latency > 0) await sleep(latency);
      try {
        checkKey(target.key);
        const fault: FaultResponse | undefined = faultBook.take(target.route, target.id);
        if (fault) counters.faultsServed += 1;
        if (fault?.type === 'reset') {
          res.socket?.destroy();
          return;
        }
        if (fault?.type === 'error') {
          const error = googleError({ ...(fault.reason ? { reason: fault.reason } : {}), ...(fault.status ? { status: fault.status } : {}), ...(fault.message ? { message: fault.message } : {}) });
          if (fault.body === 'empty') error.body = null;
          if (fault.body === 'nullMessage') error.body = { error: { code: error.status, message: null } };
          sendError(res, error, fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {});
          return;
        }
        if (fault?.type === 'delay') await sleep(fault.ms);
        answer(req, res, fault?.type === 'resetMidBody' ? (fault.afterBytes ?? -1) : undefined);
      } catch (error) {
        if (error instanceof Reject) sendError(res, error.error);
        else sendError(res, googleError({ status: 500, message: error instanceof Error ? error.message : String(error) }));
      }
    };

  /** Sends bytes, or only the first `cutAfter` of them (-1: half) and then drops the connection. */
  const sendBody = (res: Response, body: Iterable<Buffer>, length: number, cutAfter: number | undefined) => {
    const limit = cutAfter === undefined ? Infinity : cutAfter < 0 ? Math.floor(length / 2) : cutAfter;
    // Destroying the socket right after write() would discard what is still buffered: cut once it is flushed.
    const cut = () => res.socket?.destroy();
    let sent = 0;
    const chunks = body[Symbol.iterator]();
    res.on('close', () => chunks.return?.());
    if (limit <= 0) {
      res.flushHeaders();
      res.socket?.write(Buffer.alloc(0), cut);
      return;
    }
    const pump = () => {
      for (;;) {
        const next = chunks.next();
        if (next.done) {
          res.end();
          return;
        }
        const piece = next.value.subarray(0, Math.min(next.value.length, limit - sent));
        sent += piece.length;
        if (sent >= limit) {
          res.write(piece, cut);
          return;
        }
        if (!res.write(piece)) {
          res.once('drain', pump);
          return;
        }
      }
    };
    pump();
  };

  const sendJson = (res: Response, value: unknown, cutAfter: number | undefined) => {
    const body = Buffer.from(JSON.stringify(value));
    res.status(200).setHeader('Content-Type', 'application/json; charset=UTF-8');
    res.setHeader('Content-Length', String(body.length));
    sendBody(res, [body], body.length, cutAfter);
  };

  const list = (req: Request, res: Response, cutAfter?: number) => {
    const query = parseQuery(ListQuerySchema, req.query);
    const fields = selection(query.fields, DEFAULT_FILE_LIST_FIELDS, FILE_LIST_SCHEMA);
    const folderId = query.q === undefined ? null : parseParentsQuery(query.q);
    if (folderId === null) throw new Reject(invalidParameter('q'));
    const pageSize = query.pageSize === undefined ? 100 : Number(query.pageSize);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new Reject(invalidParameter('pageSize', `Invalid value '${query.pageSize}'. Values must be within the range: [1, ${MAX_PAGE_SIZE}]`));
    }
    const allDrives = flag(query.supportsAllDrives, 'supportsAllDrives');
    const itemsFromAllDrives = flag(query.includeItemsFromAllDrives, 'includeItemsFromAllDrives');
    const position = query.pageToken === undefined ? { folderId, offset: 0, page: 0 } : tokens.read(query.pageToken);
    if (!position || position.folderId !== folderId) throw new Reject(invalidParameter('pageToken'));

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
    sendJson(res, applySelection(page, fields), cutAfter);
  };

  const get = (req: Request, res: Response, cutAfter?: number) => {
    const query = parseQuery(GetQuerySchema, req.query);
    const id = req.params.fileId ?? '';
    const alt = query.alt ?? 'json';
    if (alt !== 'json' && alt !== 'media') throw new Reject(invalidParameter('alt'));
    const fields = alt === 'json' ? selection(query.fields, DEFAULT_FILE_FIELDS, FILE_SCHEMA) : undefined;
    const item = model.get(id);
    if (!reachable(item, parseResourceKeys(req.header('x-goog-drive-resource-keys')), flag(query.supportsAllDrives, 'supportsAllDrives'))) {
      throw new Reject(notFound(id));
    }
    if (fields) {
      sendJson(res, applySelection(fileResource(model, item), fields), cutAfter);
      return;
    }
    if (item.type !== 'file') throw new Reject(googleError({ reason: 'fileNotDownloadable' }));
    const size = item.content.size;
    const range = parseRange(req.header('range'), size);
    if (range === 'unsatisfiable') {
      throw new Reject({ ...googleError({ reason: 'requestedRangeNotSatisfiable' }), headers: { 'Content-Range': `bytes */${size}` } });
    }
    const { start, end } = range ?? { start: 0, end: size - 1 };
    const length = Math.max(0, end - start + 1);
    res.status(range ? 206 : 200);
    res.setHeader('Content-Type', item.mimeType);
    res.setHeader('Content-Length', String(length));
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(item.name)}`);
    if (range) res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
    sendBody(res, sliceBytes(item.content.chunks(), start, length), length, cutAfter);
  };

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');

  const listTarget = (req: Request) => {
    const q = typeof req.query.q === 'string' ? req.query.q : undefined;
    return { route: 'files.list' as const, id: (q && parseParentsQuery(q)) || undefined, key: typeof req.query.key === 'string' ? req.query.key : undefined };
  };
  const getTarget = (req: Request) => ({
    route: req.query.alt === 'media' ? ('files.media' as const) : ('files.get' as const),
    id: req.params.fileId,
    key: typeof req.query.key === 'string' ? req.query.key : undefined,
  });
  for (const prefix of ['/drive/v3', '/download/drive/v3']) {
    app.get(`${prefix}/files`, serve(listTarget, list));
    app.get(`${prefix}/files/:fileId`, serve(getTarget, get));
  }

  app.use('/_emulator', controlRouter(model, control));
  app.use((_req, res) => sendError(res, { status: 404, body: { error: { code: 404, message: 'Not Found' } } }));
  return { app, control };
}

function* sliceBytes(chunks: Iterable<Buffer>, start: number, length: number): Generator<Buffer> {
  let position = 0;
  const end = start + length;
  for (const chunk of chunks) {
    const chunkEnd = position + chunk.length;
    if (chunkEnd > start && position < end) yield chunk.subarray(Math.max(0, start - position), Math.min(chunk.length, end - position));
    position = chunkEnd;
    if (position >= end) return;
  }
}

const LatencySchema = z.object({ ms: z.number().int().nonnegative() });

function controlRouter(model: DriveModel, control: DriveEmulatorControl): express.Router {
  const router = express.Router();
  router.use(express.json());
  router.get('/state', (_req, res) => {
    res.json({ latencyMs: control.latencyMs(), faults: control.faults(), counters: control.counters() });
  });
  router.get('/counters', (_req, res) => {
    res.json(control.counters());
  });
  router.delete('/counters', (_req, res) => {
    control.resetCounters();
    res.status(204).end();
  });
  router.get('/faults', (_req, res) => {
    res.json({ faults: control.faults() });
  });
  router.post('/faults', (req, res) => {
    const parsed = z.union([FaultRuleSchema, z.array(FaultRuleSchema)]).safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: z.prettifyError(parsed.error) });
      return;
    }
    control.addFaults(...(Array.isArray(req.body) ? (req.body as FaultRuleInput[]) : [req.body as FaultRuleInput]));
    res.status(201).json({ faults: control.faults() });
  });
  router.delete('/faults', (_req, res) => {
    control.clearFaults();
    res.status(204).end();
  });
  router.put('/latency', (req, res) => {
    const parsed = LatencySchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: z.prettifyError(parsed.error) });
      return;
    }
    control.setLatency(parsed.data.ms);
    res.json({ latencyMs: control.latencyMs() });
  });
  router.post('/reset', (_req, res) => {
    control.reset();
    res.status(204).end();
  });
  router.get('/folders', (_req, res) => {
    res.json({
      folders: model.roots().map((folder) => ({
        id: folder.id,
        name: folder.name,
        ...(folder.resourceKey ? { resourceKey: folder.resourceKey } : {}),
        link: `https://drive.google.com/drive/folders/${folder.id}${folder.resourceKey ? `?resourcekey=${folder.resourceKey}` : ''}`,
      })),
    });
  });
  return router;
}
