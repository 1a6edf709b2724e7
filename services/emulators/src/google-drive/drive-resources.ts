import type { EmulatorFolder } from '../shared/control.router.js';
import { type DriveItem, type DriveModel, GOOGLE_APPS_PREFIX } from './drive-model.js';
import type { FieldSchema } from './field-selection.js';

/** The File fields the emulator knows (a subset of discovery rev 20221219); others are "Invalid field selection". */
export const FILE_SCHEMA: FieldSchema = {
  kind: true,
  id: true,
  name: true,
  mimeType: true,
  description: true,
  starred: true,
  trashed: true,
  explicitlyTrashed: true,
  parents: true,
  spaces: true,
  version: true,
  webContentLink: true,
  webViewLink: true,
  iconLink: true,
  hasThumbnail: true,
  thumbnailLink: true,
  createdTime: true,
  modifiedTime: true,
  shared: true,
  ownedByMe: true,
  originalFilename: true,
  fullFileExtension: true,
  fileExtension: true,
  md5Checksum: true,
  sha1Checksum: true,
  sha256Checksum: true,
  size: true,
  quotaBytesUsed: true,
  headRevisionId: true,
  driveId: true,
  resourceKey: true,
  copyRequiresWriterPermission: true,
  capabilities: { canDownload: true, canCopy: true, canListChildren: true, canReadRevisions: true, canEdit: true },
  imageMediaMetadata: {
    width: true,
    height: true,
    rotation: true,
    time: true,
    cameraMake: true,
    cameraModel: true,
    location: { latitude: true, longitude: true, altitude: true },
  },
  videoMediaMetadata: { width: true, height: true, durationMillis: true },
  shortcutDetails: { targetId: true, targetMimeType: true, targetResourceKey: true },
  exportLinks: true,
};

/** FileList. */
export const FILE_LIST_SCHEMA: FieldSchema = {
  kind: true,
  nextPageToken: true,
  incompleteSearch: true,
  files: FILE_SCHEMA,
};

/** What Drive answers without `fields`. */
export const DEFAULT_FILE_FIELDS = 'kind,id,name,mimeType';
export const DEFAULT_FILE_LIST_FIELDS = 'kind,nextPageToken,incompleteSearch,files(kind,id,name,mimeType)';

function extensionOf(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1) : undefined;
}

/**
 * The File resource as Drive would send it with `fields=*`: keys that do not apply are absent, never null;
 * `size` is a string. `md5Checksum` is a getter, so only selections that ask for it pay for hashing.
 * sha1/sha256 are left out, as Drive does for some files (rclone notes files uploaded before 2018).
 */
export function fileResource(model: DriveModel, item: DriveItem): Record<string, unknown> {
  const link = `https://drive.google.com/file/d/${item.id}/view?usp=drivesdk${item.resourceKey ? `&resourcekey=${item.resourceKey}` : ''}`;
  const resource: Record<string, unknown> = {
    kind: 'drive#file',
    id: item.id,
    name: item.name,
    mimeType: item.mimeType,
    starred: false,
    trashed: false,
    explicitlyTrashed: false,
    ...(item.parentId !== null ? { parents: [item.parentId] } : {}),
    spaces: ['drive'],
    version: '1',
    webViewLink: item.type === 'folder' ? `https://drive.google.com/drive/folders/${item.id}` : link,
    iconLink: `https://drive-thirdparty.googleusercontent.com/16/type/${item.mimeType}`,
    hasThumbnail: item.type === 'file' && item.image !== undefined,
    createdTime: item.createdTime,
    modifiedTime: item.createdTime,
    shared: true,
    ownedByMe: false,
    ...(item.driveId ? { driveId: item.driveId } : {}),
    ...(item.resourceKey ? { resourceKey: item.resourceKey } : {}),
    copyRequiresWriterPermission: false,
    capabilities: {
      canDownload: item.type === 'file',
      canCopy: item.type === 'file',
      canListChildren: item.type === 'folder',
      canReadRevisions: false,
      canEdit: false,
    },
  };
  if (item.type === 'file') {
    const extension = extensionOf(item.name);
    Object.assign(resource, {
      webContentLink: `https://drive.google.com/uc?id=${item.id}&export=download${item.resourceKey ? `&resourcekey=${item.resourceKey}` : ''}`,
      originalFilename: item.name,
      ...(extension ? { fullFileExtension: extension, fileExtension: extension } : {}),
      size: String(item.content.size),
      quotaBytesUsed: String(item.content.size),
      headRevisionId: `0B${item.id.slice(1, 20)}rev1`,
      ...(item.image ? { imageMediaMetadata: { width: item.image.width, height: item.image.height, rotation: 0 } } : {}),
    });
    Object.defineProperty(resource, 'md5Checksum', { enumerable: true, get: () => model.md5(item) });
  }
  if (item.type === 'workspace' && item.mimeType.startsWith(GOOGLE_APPS_PREFIX)) {
    resource.exportLinks = { 'application/pdf': `https://docs.google.com/feeds/download/${item.id}?exportFormat=pdf` };
  }
  if (item.type === 'shortcut') {
    resource.shortcutDetails = {
      targetId: item.targetId,
      targetMimeType: item.targetMimeType,
      ...(item.targetResourceKey ? { targetResourceKey: item.targetResourceKey } : {}),
    };
  }
  return resource;
}

/** The top-level folders as `/_emulator/folders` lists them, each with the link a person would paste. */
export function rootFolders(model: DriveModel): EmulatorFolder[] {
  return model.roots().map((folder) => ({
    id: folder.id,
    name: folder.name,
    ...(folder.resourceKey ? { resourceKey: folder.resourceKey } : {}),
    link: `https://drive.google.com/drive/folders/${folder.id}${folder.resourceKey ? `?resourcekey=${folder.resourceKey}` : ''}`,
  }));
}
