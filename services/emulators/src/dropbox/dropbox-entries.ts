import type { EmulatorFolder } from '../shared/control.router.js';
import type { DropboxModel, DropboxNode, SharedFolderLink } from './dropbox-model.js';

/** An entry as list_folder shows it to someone who is not the owner: no path_lower / path_display. */
export function listEntry(node: DropboxNode): Record<string, unknown> {
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

/** The SharedLinkMetadata of a node under a link (get_shared_link_metadata, and the Dropbox-API-Result of a download). */
export function linkMetadata(link: SharedFolderLink, node: DropboxNode): Record<string, unknown> {
  const common = { url: link.url, id: node.id, name: node.name, link_permissions: { resolved_visibility: { '.tag': 'public' }, can_revoke: false, allow_download: true } };
  return node.kind === 'folder'
    ? { '.tag': 'folder', ...common }
    : { '.tag': 'file', ...common, client_modified: node.serverModified, server_modified: node.serverModified, rev: node.contentHash.slice(0, 12), size: node.content.length };
}

/** JSON for a header: every character from U+007F on escaped, as Dropbox and its SDK do. */
export function headerJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The shared folders as `/_emulator/folders` lists them, each with its link. */
export function sharedFolders(model: DropboxModel): EmulatorFolder[] {
  return model.sharedLinks().map((link) => ({ id: link.root.id, name: link.root.name, link: link.url }));
}
