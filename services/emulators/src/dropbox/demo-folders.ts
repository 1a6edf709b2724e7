import type { DropboxModel, SharedFolderLink } from './dropbox-model.js';

/** The demo shared folder of `npm start` and the README: images at the root and in two levels of subfolders, and a non-image. */
export function buildDropboxDemoFolder(model: DropboxModel): SharedFolderLink {
  const { folder, link } = model.sharedFolder('Summer trip');
  for (let i = 1; i <= 6; i++) folder.image(`beach-${i}.png`, 40_000 + i * 1_000);
  folder.file('itinerary.txt', Buffer.from('Day 1: beach. Day 2: mountains.\n'));
  const mountains = folder.folder('Mountains');
  for (let i = 1; i <= 4; i++) mountains.image(`peak-${i}.png`, 60_000 + i * 1_000);
  mountains.folder('Sunrise').image('sunrise.png', 80_000);
  return link;
}
