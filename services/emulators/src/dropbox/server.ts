import { listenApp } from '../listening-app.js';
import { buildDropboxEmulatorApp, type DropboxEmulatorControl, type DropboxEmulatorOptions } from './app.js';
import type { DropboxModel } from './dropbox-model.js';

/** A listening Dropbox emulator; one port serves both the RPC and the content host. */
export interface RunningDropboxEmulator {
  /** DROPBOX_API_URL for the services, e.g. `http://127.0.0.1:8788`. */
  readonly apiUrl: string;
  /** DROPBOX_CONTENT_URL for the services (the same origin). */
  readonly contentUrl: string;
  readonly port: number;
  readonly control: DropboxEmulatorControl;
  close(): Promise<void>;
}

export interface StartDropboxEmulatorOptions extends DropboxEmulatorOptions {
  model: DropboxModel;
  /** 0 (the default) lets the system pick a free port. */
  port?: number;
  host?: string;
}

/** Starts the Dropbox emulator and resolves once it accepts connections. */
export async function startDropboxEmulator({ model, port = 0, host = '127.0.0.1', ...options }: StartDropboxEmulatorOptions): Promise<RunningDropboxEmulator> {
  const { app, control } = buildDropboxEmulatorApp(model, options);
  const { port: bound, origin, close } = await listenApp(app, port, host);
  return { apiUrl: origin, contentUrl: origin, port: bound, control, close };
}
