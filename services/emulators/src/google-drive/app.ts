import express from 'express';
import { controlRouter } from '../shared/control.router.js';
import { routeHandler } from '../shared/emulated-route.handler.js';
import { type EmulatorControl, EmulatorState } from '../shared/emulator.state.js';
import { type ApiKeys, checkApiKey } from './drive-access.js';
import { countFile, type DriveEmulatorCounters, emptyDriveCounters } from './drive-counters.js';
import { driveFaultBook, type FaultRule, type FaultRuleInput, FaultRuleSchema } from './drive-faults.js';
import type { DriveModel } from './drive-model.js';
import { rootFolders } from './drive-resources.js';
import { failDriveRequest, faultRejection, sendGoogleError } from './drive-responses.js';
import { filesGetRoute } from './files-get.route.js';
import { filesListRoute } from './files-list.route.js';
import { PageTokens } from './page-token.js';

export type { DriveEmulatorCounters } from './drive-counters.js';

/** How the emulator behaves beyond its folder model. */
export interface DriveEmulatorOptions {
  /** API keys accepted; `'any'` (the default) accepts every non-empty key. Others get 400 keyInvalid. */
  apiKeys?: ApiKeys;
  /** Added before every Drive API answer. */
  latencyMs?: number;
  /** Scripted faults present from the start. */
  faults?: FaultRuleInput[];
  /** Count requests per file id too (default true); turn off for million-file benchmarks. */
  perFileCounters?: boolean;
}

/** Runtime control of a running Drive emulator, in-process; the same operations are served under `/_emulator`. */
export type DriveEmulatorControl = EmulatorControl<FaultRuleInput, FaultRule, DriveEmulatorCounters>;

/** Both paths googleapis uses: metadata under the API root, media under its download root. */
const DRIVE_PREFIXES = ['/drive/v3', '/download/drive/v3'];

/** Builds the Drive v3 emulator (files.list, files.get, alt=media, the `/_emulator` control API) without listening. */
export function buildDriveEmulatorApp(model: DriveModel, options: DriveEmulatorOptions = {}): { app: express.Express; control: DriveEmulatorControl } {
  const state = new EmulatorState(driveFaultBook(), { latencyMs: options.latencyMs ?? 0, counters: emptyDriveCounters });
  state.faults.add(...(options.faults ?? []));
  const control = state.control();
  const perFile = options.perFileCounters ?? true;
  const handle = routeHandler({
    state,
    authorize: (req) => checkApiKey(options.apiKeys ?? 'any', req),
    countTarget: (route, id) => {
      if (perFile) countFile(state.counters, route, id);
    },
    faultError: faultRejection,
    fail: failDriveRequest,
  });
  const tokens = new PageTokens(`emulator:${model.roots().map((r) => r.id).join(',')}`);

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  for (const prefix of DRIVE_PREFIXES) {
    app.get(`${prefix}/files`, handle(filesListRoute(model, tokens)));
    app.get(`${prefix}/files/:fileId`, handle(filesGetRoute(model)));
  }
  app.use('/_emulator', controlRouter({ control, ruleSchema: FaultRuleSchema, folders: () => rootFolders(model) }));
  app.use((_req, res) => sendGoogleError(res, { status: 404, body: { error: { code: 404, message: 'Not Found' } } }));
  return { app, control };
}
