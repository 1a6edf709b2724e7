import { z } from 'zod';

const EmulatorEnvSchema = z.object({
  /** Port of the Google Drive emulator. */
  DRIVE_EMULATOR_PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
  DRIVE_EMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
  /** Comma-separated API keys to accept; empty or unset: any non-empty key. */
  DRIVE_EMULATOR_API_KEYS: z.string().default(''),
  /** Latency added to every Drive API answer, in ms. */
  DRIVE_EMULATOR_LATENCY_MS: z.coerce.number().int().nonnegative().default(0),
  /** Port of the Dropbox emulator (API and content on the same port); 0 picks a free one. */
  DROPBOX_EMULATOR_PORT: z.coerce.number().int().min(0).max(65_535).default(8788),
  /** App key and secret the Dropbox emulator accepts (app authentication); any access token is refused. */
  DROPBOX_EMULATOR_APP_KEY: z.string().min(1).default('demo-app-key'),
  DROPBOX_EMULATOR_APP_SECRET: z.string().min(1).default('demo-app-secret'),
  /** Also serve a flat benchmark folder of this many generated 64 KiB images (0: none). */
  DRIVE_EMULATOR_BENCHMARK_FILES: z.coerce.number().int().nonnegative().default(0),
});

export interface EmulatorConfig {
  readonly drivePort: number;
  readonly driveHost: string;
  readonly driveApiKeys: 'any' | readonly string[];
  readonly driveLatencyMs: number;
  readonly driveBenchmarkFiles: number;
  readonly dropboxPort: number;
  readonly dropboxApp: { key: string; secret: string };
}

/** Parses the emulators' settings once; every bad key is reported in one error. */
export function loadEmulatorConfig(env: NodeJS.ProcessEnv = process.env): EmulatorConfig {
  const parsed = EmulatorEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid emulator configuration:\n${z.prettifyError(parsed.error)}`);
  const e = parsed.data;
  const keys = e.DRIVE_EMULATOR_API_KEYS.split(',').map((k) => k.trim()).filter(Boolean);
  return Object.freeze({
    drivePort: e.DRIVE_EMULATOR_PORT,
    driveHost: e.DRIVE_EMULATOR_HOST,
    driveApiKeys: keys.length > 0 ? Object.freeze(keys) : 'any',
    driveLatencyMs: e.DRIVE_EMULATOR_LATENCY_MS,
    driveBenchmarkFiles: e.DRIVE_EMULATOR_BENCHMARK_FILES,
    dropboxPort: e.DROPBOX_EMULATOR_PORT,
    dropboxApp: { key: e.DROPBOX_EMULATOR_APP_KEY, secret: e.DROPBOX_EMULATOR_APP_SECRET },
  });
}
