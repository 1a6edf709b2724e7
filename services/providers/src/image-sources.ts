import type { SourceKind } from '@importer/contracts';
import type { DropboxSettings } from './dropbox/dropbox-env.js';
import { DropboxSource } from './dropbox/dropbox.source.js';
import type { GoogleSettings } from './google-drive/google-env.js';
import { GoogleDriveSource } from './google-drive/google-drive.source.js';
import type { ImageSource } from './image-source.js';
import type { RequestBudget } from './request-budget.js';
import type { UrlImportSettings } from './urls/url-env.js';
import { type UrlListReader, UrlListSource } from './urls/url-list.source.js';

/** Each source's settings as the services' config.ts parse them; undefined turns that source off. */
export interface SourceSettings {
  google: GoogleSettings;
  dropbox: DropboxSettings;
  urls: UrlImportSettings;
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
