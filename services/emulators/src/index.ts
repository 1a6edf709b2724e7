export { buildDriveEmulatorApp, type DriveEmulatorControl, type DriveEmulatorCounters, type DriveEmulatorOptions } from './google-drive/app.js';
export { DriveEmulatorClient } from './google-drive/drive-control.client.js';
export {
  BENCHMARK_FOLDER_ID,
  buildBenchmarkFolder,
  buildDemoFolder,
  buildEdgeCaseFolder,
  DEMO_FOLDER_ID,
  EDGE_CASE_FOLDER_ID,
  type BenchmarkFolderOptions,
  type EdgeCaseExpectations,
} from './google-drive/demo-folders.js';
export {
  DriveFolder,
  DriveModel,
  FOLDER_MIME,
  SHORTCUT_MIME,
  type BinaryFileItem,
  type DriveItem,
  type FileOptions,
  type FolderItem,
  type FolderOptions,
  type GeneratedImages,
  type ImageOptions,
  type ItemOptions,
  type ShortcutItem,
  type ShortcutTarget,
  type WorkspaceItem,
  type WorkspaceKind,
} from './google-drive/drive-model.js';
export {
  FaultResponseSchema,
  FaultRuleSchema,
  type DriveRoute,
  type FaultResponse,
  type FaultResponseInput,
  type FaultRule,
  type FaultRuleInput,
  type FaultRuleState,
} from './google-drive/drive-faults.js';
export { generatePng, pngLayout, type PngLayout } from './google-drive/generated-png.js';
export { startDriveEmulator, type RunningDriveEmulator, type StartDriveEmulatorOptions } from './google-drive/server.js';
export { buildDropboxEmulatorApp, type DropboxEmulatorControl, type DropboxEmulatorCounters, type DropboxEmulatorOptions } from './dropbox/app.js';
export {
  DropboxFaultResponseSchema,
  DropboxFaultRuleSchema,
  type DropboxFaultResponse,
  type DropboxFaultRuleInput,
  type DropboxRoute,
} from './dropbox/dropbox-faults.js';
export { DropboxEmulatorClient } from './dropbox/dropbox-control.client.js';
export {
  DropboxFolderBuilder,
  DropboxModel,
  dropboxContentHash,
  type DropboxFileNode,
  type DropboxFolderNode,
  type DropboxNode,
  type SharedFolderLink,
} from './dropbox/dropbox-model.js';
export { startDropboxEmulator, type RunningDropboxEmulator, type StartDropboxEmulatorOptions } from './dropbox/server.js';
export { buildDropboxDemoFolder } from './dropbox/demo-folders.js';
export type { EmulatorControl, RouteCounters } from './shared/emulator.state.js';
export type { EmulatorFolder } from './shared/control.router.js';
export type { BodyFault, TransportFault } from './shared/transport-faults.js';
export { createUrlOrigin, originBody, originFileName, type UrlOriginOptions } from './url-origin/url-origin.js';
