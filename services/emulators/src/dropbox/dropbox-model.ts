import { createHash } from 'node:crypto';
import { generatePng } from '../google-drive/generated-png.js';

/** A file in an emulated Dropbox. */
export interface DropboxFileNode {
  readonly kind: 'file';
  readonly id: string;
  readonly name: string;
  readonly content: Buffer;
  /** Dropbox's content_hash of `content` (SHA-256 of SHA-256s of 4 MiB blocks). */
  readonly contentHash: string;
  readonly isDownloadable: boolean;
  readonly serverModified: string;
}

/** A folder in an emulated Dropbox. */
export interface DropboxFolderNode {
  readonly kind: 'folder';
  readonly id: string;
  readonly name: string;
  /** By lower-cased name: Dropbox names are case-insensitive and unique within a folder. */
  readonly children: Map<string, DropboxNode>;
}

export type DropboxNode = DropboxFileNode | DropboxFolderNode;

/** A shared link to a folder: the URL people paste and what it grants access to. */
export interface SharedFolderLink {
  /** `https://www.dropbox.com/scl/fo/<id>/<key>?rlkey=<rlkey>&dl=0`. */
  readonly url: string;
  readonly linkId: string;
  readonly rlkey: string;
  readonly root: DropboxFolderNode;
}

const BLOCK = 4 * 1024 * 1024;

/** Dropbox's content_hash (provider-apis.md B8), computed independently of the importer's. */
export function dropboxContentHash(bytes: Buffer): string {
  const overall = createHash('sha256');
  for (let i = 0; i < bytes.length; i += BLOCK) overall.update(createHash('sha256').update(bytes.subarray(i, i + BLOCK)).digest());
  return overall.digest('hex');
}

/** Adds entries to one folder; names must be unique (case-insensitively) within it. */
export class DropboxFolderBuilder {
  constructor(
    private readonly model: DropboxModel,
    readonly node: DropboxFolderNode,
  ) {}

  folder(name: string): DropboxFolderBuilder {
    const child: DropboxFolderNode = { kind: 'folder', id: this.model.newId(), name, children: new Map() };
    this.add(child);
    return new DropboxFolderBuilder(this.model, child);
  }

  /** A generated PNG of exactly `size` bytes (default 2 KiB), unique to this file. */
  image(name: string, size = 2048): DropboxFileNode {
    const id = this.model.newId();
    return this.file(name, Buffer.concat([...generatePng(id, size)]), { id });
  }

  file(name: string, content: Buffer, options: { id?: string; isDownloadable?: boolean } = {}): DropboxFileNode {
    const node: DropboxFileNode = {
      kind: 'file',
      id: options.id ?? this.model.newId(),
      name,
      content,
      contentHash: dropboxContentHash(content),
      isDownloadable: options.isDownloadable ?? true,
      serverModified: '2026-05-01T10:11:12Z',
    };
    this.add(node);
    return node;
  }

  /** The file's content changes in place: the same id and name, a new content_hash (an edit in Dropbox). */
  rewrite(node: DropboxFileNode, content: Buffer): DropboxFileNode {
    const key = node.name.toLowerCase();
    if (this.node.children.get(key)?.id !== node.id) throw new Error(`${node.name} is not in ${this.node.name}`);
    const next: DropboxFileNode = { ...node, content, contentHash: dropboxContentHash(content) };
    this.node.children.set(key, next);
    return next;
  }

  private add(node: DropboxNode): void {
    const key = node.name.toLowerCase();
    if (this.node.children.has(key)) throw new Error(`${node.name} already exists in ${this.node.name}`);
    this.node.children.set(key, node);
  }
}

/** The shared folders an emulator serves, built in code by tests and the demo. Ids are derived from the seed. */
export class DropboxModel {
  private readonly links = new Map<string, SharedFolderLink>();
  private counter = 0;

  constructor(private readonly seed: string) {}

  newId(): string {
    this.counter += 1;
    return `id:${createHash('sha256').update(`${this.seed}:${this.counter}`).digest('base64url').slice(0, 22)}`;
  }

  /** A new folder shared by link; its link is in `link.url`. */
  sharedFolder(name: string): { folder: DropboxFolderBuilder; link: SharedFolderLink } {
    const root: DropboxFolderNode = { kind: 'folder', id: this.newId(), name, children: new Map() };
    const digest = createHash('sha256').update(`${this.seed}:link:${root.id}`).digest('hex');
    const linkId = digest.slice(0, 21);
    const rlkey = digest.slice(21, 46);
    const link: SharedFolderLink = { url: `https://www.dropbox.com/scl/fo/${linkId}/AAB${digest.slice(46, 64)}?rlkey=${rlkey}&dl=0`, linkId, rlkey, root };
    this.links.set(linkId, link);
    return { folder: new DropboxFolderBuilder(this, root), link };
  }

  /** Every shared folder link, in the order made. */
  sharedLinks(): SharedFolderLink[] {
    return [...this.links.values()];
  }

  /** The link a URL names, if its rlkey matches: any host, key segment, `dl`/`st`/`e` accepted, as Dropbox does. */
  resolveLink(url: string): SharedFolderLink | 'denied' | undefined {
    if (!URL.canParse(url)) return undefined;
    const parsed = new URL(url);
    const segments = parsed.pathname.split('/').filter(Boolean);
    const linkId = segments[0] === 'scl' && segments[1] === 'fo' ? segments[2] : undefined;
    const link = linkId ? this.links.get(linkId) : undefined;
    if (!link) return undefined;
    return parsed.searchParams.get('rlkey') === link.rlkey ? link : 'denied';
  }

  /** The node at a path under a link's root ('' or '/' for the root), case-insensitively. */
  lookup(link: SharedFolderLink, path: string): DropboxNode | undefined {
    let node: DropboxNode = link.root;
    for (const part of path.split('/').filter(Boolean)) {
      if (node.kind !== 'folder') return undefined;
      const next: DropboxNode | undefined = node.children.get(part.toLowerCase());
      if (!next) return undefined;
      node = next;
    }
    return node;
  }
}
