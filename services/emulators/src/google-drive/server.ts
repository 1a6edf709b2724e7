import { listenApp } from '../listening-app.js';
import { type DriveEmulatorControl, type DriveEmulatorOptions, buildDriveEmulatorApp } from './app.js';
import type { DriveModel } from './drive-model.js';

/** A listening Drive emulator. */
export interface RunningDriveEmulator {
  /** What to give the googleapis client as `rootUrl` (GOOGLE_API_ROOT_URL), e.g. `http://127.0.0.1:8787/`. */
  readonly rootUrl: string;
  readonly port: number;
  readonly control: DriveEmulatorControl;
  close(): Promise<void>;
}

export interface StartDriveEmulatorOptions extends DriveEmulatorOptions {
  model: DriveModel;
  /** 0 (the default) lets the system pick a free port. */
  port?: number;
  host?: string;
}

/** Starts the Drive emulator on a port and resolves once it accepts connections. */
export async function startDriveEmulator({ model, port = 0, host = '127.0.0.1', ...options }: StartDriveEmulatorOptions): Promise<RunningDriveEmulator> {
  const { app, control } = buildDriveEmulatorApp(model, options);
  const { port: bound, origin, close } = await listenApp(app, port, host);
  return { rootUrl: `${origin}/`, port: bound, control, close };
}
