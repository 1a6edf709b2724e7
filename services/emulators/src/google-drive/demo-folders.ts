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
