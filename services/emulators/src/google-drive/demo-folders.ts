import { DriveModel, type DriveFolder } from './drive-model.js';

/** The demo folder's id, fixed so its link stays the same from one run to the next. */
export const DEMO_FOLDER_ID = '1DemoImporterFolder0000000000000A';

const PLACES = ['Lisbon', 'Kyoto', 'Reykjavik', 'Cusco', 'Tromso', 'Oaxaca', 'Hoi An', 'Zanzibar'];

/**
 * A folder that looks like one a person would share: a few dozen photos (generated PNGs of 40-400 KB) at
 * the top and in two subfolders, a shortcut to one of them, and a Google Doc that the import skips.
 */
export function buildDemoFolder(model: DriveModel = new DriveModel('demo')): { model: DriveModel; folder: DriveFolder } {
  const folder = model.folder('Holiday photos', { id: DEMO_FOLDER_ID });
  const size = (n: number) => 40_000 + ((n * 7919) % 360_000);
  const cover = folder.image('IMG_2401.png', { size: size(0) });
  for (let i = 1; i < 14; i++) folder.image(`IMG_${2401 + i}.png`, { size: size(i) });
  PLACES.slice(0, 4).forEach((place, p) => {
    const sub = folder.folder(`2024 - ${place}`);
    for (let i = 0; i < 6; i++) sub.image(`${place.toLowerCase()}-${i + 1}.png`, { size: size(20 + p * 6 + i) });
  });
  const best = folder.folder('Best of');
  for (let i = 0; i < 5; i++) best.image(`best-${i + 1}.png`, { size: size(60 + i) });
  folder.shortcut('Cover photo.png', cover);
  folder.googleDoc('Trip notes', 'document');
  return { model, folder };
}

/** The edge-case folder's id, fixed like the demo's. */
export const EDGE_CASE_FOLDER_ID = '1EdgeCasesImporterFolder00000000A';

/** What importing the edge-case folder recursively must give. */
export interface EdgeCaseExpectations {
  /** Distinct source file ids of the images to import (a shortcut's target counted once). */
  imageIds: string[];
  /** Ids of the entries listing skips: Google Docs, non-images, the dangling shortcut. */
  skippedIds: string[];
  /** The one image of 20 MiB. */
  largeImageId: string;
}

/**
 * Everything awkward at once: odd and duplicate names, a tiny and a 20 MiB image, Google Docs, non-images,
 * nested folders, a subfolder and an image that need resource keys, shortcuts to a file, to a folder and
 * to nothing, and a private file that listings do not show.
 */
export function buildEdgeCaseFolder(model: DriveModel = new DriveModel('edge-cases')): { model: DriveModel; folder: DriveFolder; expected: EdgeCaseExpectations } {
  const imageIds: string[] = [];
  const skippedIds: string[] = [];
  const keep = (item: { id: string }) => void imageIds.push(item.id);
  const skip = (item: { id: string }) => void skippedIds.push(item.id);

  const targets = model.folder('Shortcut targets');
  const target = targets.image('shared elsewhere.png', { size: 30_000, resourceKey: true });
  const targetFolder = targets.folder('Linked folder');
  keep(targetFolder.image('inside linked folder.png', { size: 20_000 }));

  const folder = model.folder('Edge cases', { id: EDGE_CASE_FOLDER_ID });
  keep(folder.image('IMG_0001.png', { size: 64 * 1024 }));
  keep(folder.image('фото – 写真 🌅.png', { size: 10_000 }));
  keep(folder.image('2024/05/01: slashes and colons.png', { size: 10_000 }));
  keep(folder.image(`${'a very long name '.repeat(14)}.png`, { size: 10_000 }));
  keep(folder.image('dup.png', { size: 8_000 }));
  keep(folder.image('dup.png', { size: 9_000 }));
  keep(folder.image('tiny.png', { size: 1 }));
  const large = folder.image('large-20MB.png', { size: 20 * 1024 * 1024 });
  keep(large);
  skip(folder.googleDoc('Read me first', 'document'));
  skip(folder.googleDoc('Budget', 'spreadsheet'));
  skip(folder.file('notes.txt', { content: 'not an image\n', mimeType: 'text/plain' }));
  skip(folder.file('report.pdf', { content: '%PDF-1.4\n%%EOF\n', mimeType: 'application/pdf' }));
  folder.image('private.png', { private: true });
  const nested = folder.folder('Nested');
  keep(nested.image('level1.png', { size: 12_000 }));
  keep(nested.folder('Deeper').image('level2.png', { size: 12_000 }));
  const keyed = folder.folder('Needs a resource key', { resourceKey: true });
  keep(keyed.image('keyed.png', { size: 12_000, resourceKey: true }));
  folder.shortcut('Shortcut to an image.png', target);
  keep(target);
  folder.shortcut('Shortcut to a folder', targetFolder.item);
  skip(folder.shortcut('Dangling shortcut.png', { id: '1DanglingTarget00000000000000000A', mimeType: 'image/png' }));
  return { model, folder, expected: { imageIds, skippedIds, largeImageId: large.id } };
}

/** The benchmark folder's id when the CLI serves one. */
export const BENCHMARK_FOLDER_ID = '1BenchmarkImporterFolder00000000A';

/** Options of the benchmark folder. */
export interface BenchmarkFolderOptions {
  /** Number of generated images. */
  count: number;
  /** Bytes per image, default 64 KiB. */
  fileSize?: number;
  name?: string;
  id?: string;
}

/** A flat folder of `count` generated PNGs (~64 KB each), O(1) in memory however large `count` is. */
export function buildBenchmarkFolder(options: BenchmarkFolderOptions, model: DriveModel = new DriveModel('benchmark')): { model: DriveModel; folder: DriveFolder } {
  const folder = model.folder(options.name ?? `Benchmark ${options.count}`, options.id ? { id: options.id } : {});
  folder.generatedImages(options.count, { namePrefix: 'bench_', size: options.fileSize ?? 64 * 1024 });
  return { model, folder };
}
