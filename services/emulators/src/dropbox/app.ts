import express from 'express';
import { controlRouter } from '../shared/control.router.js';
import { routeHandler } from '../shared/emulated-route.handler.js';
import { type EmulatorControl, EmulatorState } from '../shared/emulator.state.js';
import { type DropboxCredentials, dropboxAuthorizer } from './dropbox-auth.js';
import { countDownload, type DropboxEmulatorCounters, emptyDropboxCounters } from './dropbox-counters.js';
import { sharedFolders } from './dropbox-entries.js';
import { dropboxFaultBook, type DropboxFaultRule, type DropboxFaultRuleInput, DropboxFaultRuleSchema } from './dropbox-faults.js';
import type { DropboxModel } from './dropbox-model.js';
import { DropboxRejection, failDropboxRequest, faultRejection, sendDropboxRejection } from './dropbox-responses.js';
import { listFolderContinueRoute, listFolderRoute } from './list-folder.route.js';
import { sharedLinkFileRoute } from './shared-link-file.route.js';
import { sharedLinkMetadataRoute } from './shared-link-metadata.route.js';

export type { DropboxEmulatorCounters } from './dropbox-counters.js';

/** Who may call (user access tokens, app key/secret pairs), and how the emulator behaves beyond its model. */
export interface DropboxEmulatorOptions extends DropboxCredentials {
  /** Entries per list_folder page when the request sets no `limit` (Dropbox's is about 2000). */
  defaultPageSize?: number;
  latencyMs?: number;
  faults?: DropboxFaultRuleInput[];
}

/** Runtime control of a running Dropbox emulator, in-process; the same operations are served under `/_emulator`. */
export type DropboxEmulatorControl = EmulatorControl<DropboxFaultRuleInput, DropboxFaultRule, DropboxEmulatorCounters>;

/**
 * Builds the Dropbox v2 emulator without listening: files/list_folder (+ /continue) and sharing/get_shared_link_metadata
 * on the RPC host, sharing/get_shared_link_file on the content host (one app serves both paths), with Dropbox's
 * auth rules (Bearer or Basic; 400 plain text without, 401 JSON for a bad token), its 409 error unions, 429 with
 * Retry-After, scripted faults and the `/_emulator` control API. Shared links must keep their rlkey.
 */
export function buildDropboxEmulatorApp(model: DropboxModel, options: DropboxEmulatorOptions = {}): { app: express.Express; control: DropboxEmulatorControl } {
  const state = new EmulatorState(dropboxFaultBook(), { latencyMs: options.latencyMs ?? 0, counters: emptyDropboxCounters });
  state.faults.add(...(options.faults ?? []));
  const control = state.control();
  const handle = routeHandler({ state, authorize: dropboxAuthorizer(options), faultError: faultRejection, fail: failDropboxRequest });
  const rpcBody = express.json({ type: () => true, limit: '1mb' });

  const app = express();
  app.disable('x-powered-by');
  app.use('/2/files', rpcBody);
  app.use('/2/sharing/get_shared_link_metadata', rpcBody);
  app.post('/2/files/list_folder', handle(listFolderRoute(model, options.defaultPageSize ?? 2000)));
  app.post('/2/files/list_folder/continue', handle(listFolderContinueRoute(model)));
  app.post('/2/sharing/get_shared_link_metadata', handle(sharedLinkMetadataRoute(model)));
  const download = handle(sharedLinkFileRoute(model, (path) => countDownload(state.counters, path)));
  app.post('/2/sharing/get_shared_link_file', download);
  app.get('/2/sharing/get_shared_link_file', download);
  app.use('/_emulator', controlRouter({ control, ruleSchema: DropboxFaultRuleSchema, folders: () => sharedFolders(model) }));
  app.use((req, res) => sendDropboxRejection(res, new DropboxRejection(404, `Unknown API function: "${req.path}"`)));
  return { app, control };
}
