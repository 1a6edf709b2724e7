import { z } from 'zod';
import type { DropboxAuthSettings } from './dropbox.source.js';

/** The Dropbox settings every service that talks to Dropbox reads. */
export const DropboxEnvSchema = z.object({
  /** A user access token (it takes precedence over the app key and secret). */
  DROPBOX_ACCESS_TOKEN: z.string().min(1).optional(),
  /** The app's key and secret, for app authentication (HTTP Basic): enough to read shared links. */
  DROPBOX_APP_KEY: z.string().min(1).optional(),
  DROPBOX_APP_SECRET: z.string().min(1).optional(),
  /** Where the RPC endpoints answer: Dropbox, or an emulator (http:// allowed). */
  DROPBOX_API_URL: z.url().default('https://api.dropboxapi.com'),
  /** Where the content endpoints answer: Dropbox, or an emulator. */
  DROPBOX_CONTENT_URL: z.url().default('https://content.dropboxapi.com'),
  /** Entries per list_folder page (Dropbox's most is 2000), unless a test wants many pages from a small folder. */
  DROPBOX_PAGE_SIZE: z.coerce.number().int().min(1).max(2000).default(2000),
});

export type DropboxEnv = z.infer<typeof DropboxEnvSchema>;

export type DropboxSettings =
  | { readonly auth: DropboxAuthSettings; readonly apiUrl: string; readonly contentUrl: string; readonly pageSize: number }
  | undefined;

/** A key without its secret (or the reverse) is a configuration error, reported with the other bad keys. */
export const refineDropboxEnv = (e: DropboxEnv, ctx: z.RefinementCtx): void => {
  if (!e.DROPBOX_ACCESS_TOKEN && Boolean(e.DROPBOX_APP_KEY) !== Boolean(e.DROPBOX_APP_SECRET)) {
    ctx.addIssue({ code: 'custom', path: [e.DROPBOX_APP_KEY ? 'DROPBOX_APP_SECRET' : 'DROPBOX_APP_KEY'], message: 'DROPBOX_APP_KEY and DROPBOX_APP_SECRET go together' });
  }
};

/** The Dropbox settings, or undefined when no credentials are set (Dropbox imports are then off). */
export function dropboxSettings(e: DropboxEnv): DropboxSettings {
  const auth: DropboxAuthSettings | undefined = e.DROPBOX_ACCESS_TOKEN
    ? { accessToken: e.DROPBOX_ACCESS_TOKEN }
    : e.DROPBOX_APP_KEY && e.DROPBOX_APP_SECRET
      ? { appKey: e.DROPBOX_APP_KEY, appSecret: e.DROPBOX_APP_SECRET }
      : undefined;
  return auth ? { auth, apiUrl: e.DROPBOX_API_URL, contentUrl: e.DROPBOX_CONTENT_URL, pageSize: e.DROPBOX_PAGE_SIZE } : undefined;
}
