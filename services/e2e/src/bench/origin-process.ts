import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { originFileName } from '@importer/emulators';

const ORIGIN_MAIN = fileURLToPath(import.meta.resolve('@importer/emulators').replace(/index\.(ts|js)$/, 'url-origin/main.$1'));

/** The URL origin running in a child process of its own, so its CPU and memory are measured apart from the bench's. */
export interface OriginProcess {
  pid: number;
  /** Its index page, which links every file: rclone's `--http-url`. */
  baseUrl: string;
  /** Every file's URL, in order: the importer's URL list. */
  urls: string[];
  close(): Promise<void>;
}

export async function startOriginProcess(options: { files: number; fileSize: number; latencyMs: number }): Promise<OriginProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', ORIGIN_MAIN, '--files', String(options.files), '--file-size', String(options.fileSize), '--latency-ms', String(options.latencyMs)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [first] = (await Promise.race([once(lines, 'line'), once(child, 'exit').then(() => { throw new Error('the URL origin exited before listening'); })])) as [string];
  const port = Number(/^listening (\d+)$/.exec(first)?.[1]);
  if (!port || child.pid === undefined) throw new Error(`the URL origin said ${first}`);
  // The importer runs with URL_IMPORT_ALLOWED_HOSTS=127.0.0.1, which lets its SSRF guard through to this host only.
  const baseUrl = `http://127.0.0.1:${port}/`;
  return {
    pid: child.pid,
    baseUrl,
    urls: Array.from({ length: options.files }, (_, i) => `${baseUrl}${originFileName(i)}`),
    close: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
