import { createHash } from 'node:crypto';
import { generatePng, pngLayout } from './generated-png.js';

export const FOLDER_MIME = 'application/vnd.google-apps.folder';
export const SHORTCUT_MIME = 'application/vnd.google-apps.shortcut';
export const GOOGLE_APPS_PREFIX = 'application/vnd.google-apps.';

/** Google Docs editors types that `googleDoc()` can create. */
export type WorkspaceKind = 'document' | 'spreadsheet' | 'presentation' | 'drawing' | 'form' | 'script' | 'site' | 'map' | 'jam';

/** A file's bytes, read on demand: nothing but what is needed to regenerate them is kept. */
export interface FileContent {
  readonly size: number;
  chunks(): Iterable<Buffer>;
}

interface ItemBase {
  readonly id: string;
  readonly name: string;
  readonly mimeType: string;
  /** null for a top-level folder (its real parent lives in the owner's Drive, invisible to an API key). */
  readonly parentId: string | null;
  /** Needed in `X-Goog-Drive-Resource-Keys` to reach this item directly. */
  readonly resourceKey?: string;
  /** Not shared with "anyone with the link": 404 on get, absent from listings. */
  readonly private: boolean;
  /** Set for shared-drive items, which need supportsAllDrives (and includeItemsFromAllDrives to be listed). */
  readonly driveId?: string;
  readonly createdTime: string;
}

/** A folder; its children are kept by the model. */
export interface FolderItem extends ItemBase {
  readonly type: 'folder';
  /** Page indexes (0-based) answered with no files but a nextPageToken, as Drive may. */
  readonly emptyPages: readonly number[];
  /** Drive may answer fewer files than pageSize before the end; this caps every page of this folder. */
  readonly maxPageSize?: number;
}

/** A file with binary content (an image or anything else). */
export interface BinaryFileItem extends ItemBase {
  readonly type: 'file';
  readonly content: FileContent;
  readonly image?: { readonly width: number; readonly height: number };
}

/** A Google Docs editors file: listed, never downloadable with alt=media. */
export interface WorkspaceItem extends ItemBase {
  readonly type: 'workspace';
}

/** A shortcut; its target may be missing (a dangling shortcut). */
export interface ShortcutItem extends ItemBase {
  readonly type: 'shortcut';
  readonly targetId: string;
  readonly targetMimeType: string;
  readonly targetResourceKey?: string;
}

export type DriveItem = FolderItem | BinaryFileItem | WorkspaceItem | ShortcutItem;

/** Options every item accepts. */
export interface ItemOptions {
  /** A fixed id; by default a deterministic 33-character Drive-like id. */
  id?: string;
  /** A resource key the caller must send; `true` makes one up. */
  resourceKey?: string | true;
  private?: boolean;
}

export interface FolderOptions extends ItemOptions {
  emptyPages?: number[];
  maxPageSize?: number;
  /** Top-level folders only: make the folder (and everything under it) a shared drive's content. */
  driveId?: string;
}

export interface ImageOptions extends ItemOptions {
  /** Bytes of the generated PNG (exact unless below ~120 bytes). Default 64 KiB. */
  size?: number;
}

export interface FileOptions extends ItemOptions {
  content: Buffer | string;
  mimeType: string;
  /** Dimensions to report in imageMediaMetadata. */
  image?: { width: number; height: number };
}

/** What a shortcut points to: an item of the model, or an id that may not exist (dangling). */
export type ShortcutTarget = DriveItem | { id: string; mimeType: string; resourceKey?: string };

const CREATED = '2024-05-01T10:00:00.000Z';
const ID_ALPHABET = /^[A-Za-z0-9_-]+$/;

class BufferContent implements FileContent {
  readonly size: number;
  constructor(private readonly bytes: Buffer) {
    this.size = bytes.length;
  }
  chunks(): Iterable<Buffer> {
    return [this.bytes];
  }
}

class GeneratedPng implements FileContent {
  readonly size: number;
  readonly width: number;
  readonly height: number;
  constructor(private readonly id: string, private readonly requested: number) {
    const layout = pngLayout(id, requested);
    this.size = layout.size;
    this.width = layout.width;
    this.height = layout.height;
  }
  chunks(): Iterable<Buffer> {
    return generatePng(this.id, this.requested);
  }
}

function generatedImage(id: string, name: string, parent: FolderItem, size: number, options: { resourceKey?: string; private?: boolean }): BinaryFileItem {
  const content = new GeneratedPng(id, size);
  return {
    type: 'file',
    id,
    name,
    mimeType: 'image/png',
    parentId: parent.id,
    private: options.private ?? false,
    createdTime: CREATED,
    content,
    image: { width: content.width, height: content.height },
    ...(options.resourceKey ? { resourceKey: options.resourceKey } : {}),
    ...(parent.driveId ? { driveId: parent.driveId } : {}),
  };
}

/** N generated PNGs in one folder, materialised only when asked for: a million cost a few bytes. */
interface GeneratedRange {
  readonly type: 'range';
  readonly prefix: string;
  readonly count: number;
  readonly namePrefix: string;
  readonly size: number;
  readonly parent: FolderItem;
}

type ChildEntry = DriveItem | GeneratedRange;

const RANGE_DIGITS = 7;

/** Handle on a generated range, to find its files in tests. */
export interface GeneratedImages {
  readonly count: number;
  idAt(index: number): string;
  nameAt(index: number): string;
}

/**
 * An in-memory Drive: folders, files, Google Docs and shortcuts, with ids, resource keys and visibility.
 * Build it with `folder()` and the returned builders; the emulator app serves it.
 */
export class DriveModel {
  private readonly items = new Map<string, DriveItem>();
  private readonly children = new Map<string, ChildEntry[]>();
  private readonly ranges: GeneratedRange[] = [];
  private readonly md5s = new Map<string, string>();
  private readonly rootIds: string[] = [];
  private counter = 0;

  constructor(private readonly seed = 'drive-emulator') {}

  /** A top-level folder, as the owner shares it with "anyone with the link". */
  folder(name: string, options: FolderOptions = {}): DriveFolder {
    const item = this.makeFolder(name, null, options, options.driveId);
    this.rootIds.push(item.id);
    return new DriveFolder(this, item);
  }

  /** The item with this id, generated ones included; undefined if there is none. */
  get(id: string): DriveItem | undefined {
    const found = this.items.get(id);
    if (found) return found;
    for (const range of this.ranges) {
      if (!id.startsWith(range.prefix)) continue;
      const digits = id.slice(range.prefix.length);
      if (digits.length !== RANGE_DIGITS || !/^\d+$/.test(digits)) continue;
      const index = Number(digits);
      if (index < range.count) return this.rangeItem(range, index);
    }
    return undefined;
  }

  /** Every top-level folder. */
  roots(): FolderItem[] {
    return this.rootIds.flatMap((id) => {
      const item = this.items.get(id);
      return item?.type === 'folder' ? [item] : [];
    });
  }

  /** How many children a folder has, private ones included. */
  childCount(folderId: string): number {
    return (this.children.get(folderId) ?? []).reduce((n, entry) => n + (entry.type === 'range' ? entry.count : 1), 0);
  }

  /** Children [offset, offset + limit) in insertion order. */
  childrenSlice(folderId: string, offset: number, limit: number): DriveItem[] {
    const out: DriveItem[] = [];
    let skip = offset;
    for (const entry of this.children.get(folderId) ?? []) {
      if (out.length >= limit) break;
      if (entry.type !== 'range') {
        if (skip > 0) skip -= 1;
        else out.push(entry);
        continue;
      }
      if (skip >= entry.count) {
        skip -= entry.count;
        continue;
      }
      for (let i = skip; i < entry.count && out.length < limit; i++) out.push(this.rangeItem(entry, i));
      skip = 0;
    }
    return out;
  }

  /** Hex md5 of a file's content, computed on first use; only the 32 characters are kept. */
  md5(item: BinaryFileItem): string {
    const cached = this.md5s.get(item.id);
    if (cached) return cached;
    const hash = createHash('md5');
    for (const chunk of item.content.chunks()) hash.update(chunk);
    const hex = hash.digest('hex');
    this.md5s.set(item.id, hex);
    return hex;
  }

  /** @internal builders add through these. */
  nextId(): string {
    this.counter += 1;
    return `1${createHash('sha256').update(`${this.seed}:${this.counter}`).digest('base64url').slice(0, 32)}`;
  }

  /** @internal */
  resourceKey(option: string | true | undefined): string | undefined {
    if (option === undefined) return undefined;
    if (option !== true) return option;
    this.counter += 1;
    return `0-${createHash('sha256').update(`${this.seed}:key:${this.counter}`).digest('base64url').slice(0, 22)}`;
  }

  /** @internal */
  add(item: DriveItem): void {
    if (!ID_ALPHABET.test(item.id)) throw new Error(`Drive ids use only [A-Za-z0-9_-]: ${JSON.stringify(item.id)}`);
    if (this.get(item.id)) throw new Error(`Duplicate id ${item.id}`);
    this.items.set(item.id, item);
    if (item.type === 'folder') this.children.set(item.id, []);
    if (item.parentId !== null) this.childrenOf(item.parentId).push(item);
  }

  /** @internal */
  makeFolder(name: string, parent: FolderItem | null, options: FolderOptions, driveId?: string): FolderItem {
    const resourceKey = this.resourceKey(options.resourceKey);
    const inherited = driveId ?? parent?.driveId;
    const item: FolderItem = {
      type: 'folder',
      id: options.id ?? this.nextId(),
      name,
      mimeType: FOLDER_MIME,
      parentId: parent?.id ?? null,
      private: options.private ?? false,
      createdTime: CREATED,
      emptyPages: options.emptyPages ?? [],
      ...(options.maxPageSize ? { maxPageSize: options.maxPageSize } : {}),
      ...(resourceKey ? { resourceKey } : {}),
      ...(inherited ? { driveId: inherited } : {}),
    };
    this.add(item);
    return item;
  }

  /** @internal */
  addRange(parent: FolderItem, count: number, namePrefix: string, size: number): GeneratedImages {
    const prefix = this.nextId().slice(0, 33 - RANGE_DIGITS);
    const range: GeneratedRange = { type: 'range', prefix, count, namePrefix, size, parent };
    this.ranges.push(range);
    this.childrenOf(parent.id).push(range);
    return {
      count,
      idAt: (index) => this.rangeItem(range, index).id,
      nameAt: (index) => this.rangeItem(range, index).name,
    };
  }

  private childrenOf(folderId: string): ChildEntry[] {
    const list = this.children.get(folderId);
    if (!list) throw new Error(`No folder ${folderId} in the model`);
    return list;
  }

  private rangeItem(range: GeneratedRange, index: number): BinaryFileItem {
    const id = `${range.prefix}${String(index).padStart(RANGE_DIGITS, '0')}`;
    const name = `${range.namePrefix}${String(index + 1).padStart(String(range.count).length, '0')}.png`;
    return generatedImage(id, name, range.parent, range.size, {});
  }
}

/** Builds one folder's content. */
export class DriveFolder {
  constructor(private readonly model: DriveModel, readonly item: FolderItem) {}

  get id(): string {
    return this.item.id;
  }

  get resourceKey(): string | undefined {
    return this.item.resourceKey;
  }

  /** The link a person would paste, with its resource key when the folder has one. */
  get link(): string {
    const key = this.item.resourceKey ? `?resourcekey=${this.item.resourceKey}` : '';
    return `https://drive.google.com/drive/folders/${this.item.id}${key}`;
  }

  folder(name: string, options: Omit<FolderOptions, 'driveId'> = {}): DriveFolder {
    return new DriveFolder(this.model, this.model.makeFolder(name, this.item, options));
  }

  /** A generated PNG whose bytes come from (id, size). */
  image(name: string, options: ImageOptions = {}): BinaryFileItem {
    const id = options.id ?? this.model.nextId();
    const resourceKey = this.model.resourceKey(options.resourceKey);
    const item = generatedImage(id, name, this.item, options.size ?? 64 * 1024, {
      private: options.private ?? false,
      ...(resourceKey ? { resourceKey } : {}),
    });
    this.model.add(item);
    return item;
  }

  /** A file with the given bytes (held in memory: keep these small). */
  file(name: string, options: FileOptions): BinaryFileItem {
    const resourceKey = this.model.resourceKey(options.resourceKey);
    const item: BinaryFileItem = {
      type: 'file',
      id: options.id ?? this.model.nextId(),
      name,
      mimeType: options.mimeType,
      parentId: this.item.id,
      private: options.private ?? false,
      createdTime: CREATED,
      content: new BufferContent(Buffer.from(options.content)),
      ...(options.image ? { image: options.image } : {}),
      ...(resourceKey ? { resourceKey } : {}),
      ...(this.item.driveId ? { driveId: this.item.driveId } : {}),
    };
    this.model.add(item);
    return item;
  }

  /** A Google Docs editors file (`application/vnd.google-apps.<kind>`). */
  googleDoc(name: string, kind: WorkspaceKind = 'document', options: ItemOptions = {}): WorkspaceItem {
    const resourceKey = this.model.resourceKey(options.resourceKey);
    const item: WorkspaceItem = {
      type: 'workspace',
      id: options.id ?? this.model.nextId(),
      name,
      mimeType: `${GOOGLE_APPS_PREFIX}${kind}`,
      parentId: this.item.id,
      private: options.private ?? false,
      createdTime: CREATED,
      ...(resourceKey ? { resourceKey } : {}),
      ...(this.item.driveId ? { driveId: this.item.driveId } : {}),
    };
    this.model.add(item);
    return item;
  }

  /** A shortcut to an item (or to an id nobody can reach: a dangling shortcut). */
  shortcut(name: string, target: ShortcutTarget, options: ItemOptions = {}): ShortcutItem {
    const resourceKey = this.model.resourceKey(options.resourceKey);
    const item: ShortcutItem = {
      type: 'shortcut',
      id: options.id ?? this.model.nextId(),
      name,
      mimeType: SHORTCUT_MIME,
      parentId: this.item.id,
      private: options.private ?? false,
      createdTime: CREATED,
      targetId: target.id,
      targetMimeType: target.mimeType,
      ...(target.resourceKey ? { targetResourceKey: target.resourceKey } : {}),
      ...(resourceKey ? { resourceKey } : {}),
      ...(this.item.driveId ? { driveId: this.item.driveId } : {}),
    };
    this.model.add(item);
    return item;
  }

  /** `count` generated PNGs named `<namePrefix><n>.png`, costing O(1) memory however many. */
  generatedImages(count: number, options: { namePrefix?: string; size?: number } = {}): GeneratedImages {
    return this.model.addRange(this.item, count, options.namePrefix ?? 'IMG_', options.size ?? 64 * 1024);
  }
}
