import { folderLinkParsers } from '@importer/providers/links';
import type { FolderSource } from '../api/index.js';

export type LinkCheck = { state: 'empty' } | { state: 'valid' } | { state: 'invalid'; message: string };

/** Checks a pasted folder link with the same parser the API runs, so the message matches the one a submit would get. */
export function checkFolderLink(source: FolderSource, text: string): LinkCheck {
  if (text.trim() === '') return { state: 'empty' };
  try {
    folderLinkParsers[source](text);
    return { state: 'valid' };
  } catch (error) {
    return { state: 'invalid', message: error instanceof Error ? error.message : String(error) };
  }
}
