import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { devkitConfig, localPlatform } from '@importer/devkit';

/** rclone built from the Go module proxy by scripts/bootstrap/rclone.sh (cached after the first build): its path. */
export async function ensureRclone(): Promise<string> {
  const { stdout } = await promisify(execFile)(join(devkitConfig.repoRoot, 'scripts/bootstrap/rclone.sh'), { maxBuffer: 1 << 20, timeout: 1_800_000 });
  return stdout.trim().split('\n').at(-1) ?? '';
}

/** The local MinIO as rclone's remote `minio:`, from environment variables: no config file to write or leave behind. */
function minioRemoteEnv(): NodeJS.ProcessEnv {
  const { minio } = localPlatform;
  return {
    RCLONE_CONFIG_MINIO_TYPE: 's3',
    RCLONE_CONFIG_MINIO_PROVIDER: 'Minio',
    RCLONE_CONFIG_MINIO_ENDPOINT: minio.endpoint,
    RCLONE_CONFIG_MINIO_REGION: minio.region,
    RCLONE_CONFIG_MINIO_ACCESS_KEY_ID: minio.accessKey,
    RCLONE_CONFIG_MINIO_SECRET_ACCESS_KEY: minio.secretKey,
  };
}

export interface RcloneResult {
  seconds: number;
  /** rclone's own user + system CPU seconds and peak RSS (MiB), as GNU time reports them for the process it ran. */
  cpuSeconds: number;
  peakMiB: number;
}

/** `rclone copy :http: minio:<bucket>/<prefix>` from the origin's index page, timed, under /usr/bin/time for its CPU and memory. */
export async function runRclone(rclone: string, options: { originUrl: string; prefix: string; transfers: number }): Promise<RcloneResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-rclone-'));
  const timeFile = join(dir, 'time');
  const args = ['-o', timeFile, '-f', '%U %S %M', rclone, 'copy', ':http:', `minio:${localPlatform.minio.bucket}/${options.prefix}`, '--http-url', options.originUrl, '--transfers', String(options.transfers), '--stats', '0', '--log-level', 'ERROR'];
  try {
    const started = performance.now();
    const child = spawn('/usr/bin/time', args, { env: { PATH: '/usr/bin:/bin', HOME: dir, ...minioRemoteEnv(), RCLONE_CONFIG: join(dir, 'rclone.conf') }, stdio: ['ignore', 'inherit', 'inherit'] });
    const [code] = (await once(child, 'exit')) as [number | null];
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`rclone copy exited with ${code}`);
    const [user = Number.NaN, system = Number.NaN, maxKiB = Number.NaN] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
    return { seconds, cpuSeconds: user + system, peakMiB: maxKiB / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
