import type { SourceKind } from '@importer/contracts';
import type { z } from 'zod';
import { DropboxEnvSchema, dropboxSettings, type DropboxSettings, refineDropboxEnv } from './dropbox/dropbox-env.js';
import { DropboxSource } from './dropbox/dropbox.source.js';
import { GoogleEnvSchema, googleSettings, type GoogleSettings } from './google-drive/google-env.js';
import { GoogleDriveSource } from './google-drive/google-drive.source.js';
import type { ImageSource } from './image-source.js';
import type { RequestBudget } from './request-budget.js';
import { UrlImportEnvSchema, urlImportSettings, type UrlImportSettings } from './urls/url-env.js';
import { type UrlListReader, UrlListSource } from './urls/url-list.source.js';

/**
 * The settings of every source, one schema: what the api, lister and transfer extend their env schema with (and
 * refine with refineSourcesEnv), so a new source's variables reach all three from here.
 */
export const SourcesEnvSchema = GoogleEnvSchema.extend(DropboxEnvSchema.shape).extend(UrlImportEnvSchema.shape);

export type SourcesEnv = z.infer<typeof SourcesEnvSchema>;

/** The checks across a source's variables, reported with the service's other bad keys. */
export function refineSourcesEnv(e: SourcesEnv, ctx: z.RefinementCtx): void {
  refineDropboxEnv(e, ctx);
}

/** Each source's settings as the services' config.ts parse them; undefined turns that source off. */
export interface SourceSettings {
  google: GoogleSettings;
  dropbox: DropboxSettings;
  urls: UrlImportSettings;
}

/** Each source's settings, read from its variables. */
export function sourceSettings(e: SourcesEnv): SourceSettings {
  return { google: googleSettings(e), dropbox: dropboxSettings(e), urls: urlImportSettings(e) };
}

export type ImageSources = Partial<Record<SourceKind, ImageSource>>;

/** Every configured source, each with its own shared request budget: what lister, transfer and api serve. */
export function createImageSources(settings: SourceSettings, budgetFor: (kind: SourceKind) => RequestBudget, urlLists?: UrlListReader): ImageSources {
  const sources: ImageSources = {};
  sources.url = new UrlListSource({ ...settings.urls, budget: budgetFor('url'), ...(urlLists ? { lists: urlLists } : {}) });
  if (settings.google) sources.google_drive = new GoogleDriveSource({ ...settings.google, budget: budgetFor('google_drive') });
  if (settings.dropbox) sources.dropbox = new DropboxSource({ ...settings.dropbox, budget: budgetFor('dropbox') });
  return sources;
}
