import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { childEnv, devkitConfig, httpOk, localPlatform, probeAmqp, probeRedis, runningDaemon, stopDaemon, waitFor } from '@importer/devkit';

const exec = promisify(execFile);
const { redis, rabbitmq, minio, placement, scheduler } = localPlatform;

/** Runs a command of the machine's own services, failing with its output. */
async function run(command: string, args: readonly string[], timeoutMs = 60_000): Promise<string> {
  try {
    const { stdout } = await exec(command, args, { env: childEnv(), timeout: timeoutMs, encoding: 'utf8' });
    return stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${(error as Error).message}\n${stdout}${stderr}`);
  }
}

const answers = async (probe: () => Promise<void>): Promise<boolean> => {
  try {
    await probe();
    return true;
  } catch {
    return false;
  }
};

const redisAnswers = () => answers(() => probeRedis(redis.host, redis.port));
const rabbitAnswers = () => answers(() => probeAmqp(rabbitmq.host, rabbitmq.port));
const postgresAnswers = () => answers(() => run('pg_isready', ['-q', '-h', '127.0.0.1', '-p', '5432'], 5_000).then(() => undefined));
const minioAnswers = () => httpOk(`${minio.endpoint}/minio/health/live`);
const controlPlaneAnswers = async () =>
  (await httpOk(`http://127.0.0.1:${placement.healthzPort}/healthz`)) && (await httpOk(`http://127.0.0.1:${scheduler.healthzPort}/healthz`));

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  await waitFor(async () => ((await check()) ? true : undefined), { what, timeoutMs, intervalMs: 250 });
}

/** The machine's one PostgreSQL cluster (`/etc/postgresql/<version>/main`), as pg_ctlcluster names it. */
function postgresCluster(): [version: string, name: string] {
  const [version] = readdirSync('/etc/postgresql');
  if (!version) throw new Error('no PostgreSQL cluster under /etc/postgresql');
  return [version, 'main'];
}

/** Redis as CI runs it: nothing on disk, so a restart starts empty (streams, consumer groups and actor state gone). */
async function ensureRedis(): Promise<void> {
  if (await redisAnswers()) return;
  await run('redis-server', [
    '--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', String(redis.port),
    '--save', '', '--appendonly', 'no', '--dir', '/var/lib/redis', '--logfile', '/var/log/redis/ci.log',
  ]);
  await until('Redis to answer PING again', redisAnswers);
}

async function ensureRabbitMq(): Promise<void> {
  if (await rabbitAnswers()) return;
  await run('rabbitmqctl', ['start_app'], 120_000);
  await until('RabbitMQ to accept AMQP connections again', rabbitAnswers, 120_000);
}

async function ensurePostgres(): Promise<void> {
  if (await postgresAnswers()) return;
  await run('pg_ctlcluster', ['--skip-systemctl-redirect', ...postgresCluster(), 'start']);
  await until('PostgreSQL to accept connections again', postgresAnswers);
}

/** MinIO's pid: the daemon this checkout started, else whatever listens on its port (another clone's). */
async function minioPid(): Promise<number> {
  const own = runningDaemon('minio');
  if (own !== undefined) return own;
  const listening = await run('ss', ['-Hltnp', `sport = :${minio.port}`]);
  const pid = Number(/pid=(\d+)/.exec(listening)?.[1]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no MinIO process listens on port ${minio.port}`);
  return pid;
}

/** Placement and scheduler come back exactly as `npm run platform` starts them (scripts/platform/control-plane.ts). */
async function ensureControlPlane(): Promise<void> {
  if (await controlPlaneAnswers()) return;
  await run(join(devkitConfig.repoRoot, 'node_modules', '.bin', 'tsx'), ['--conditions=source', join(devkitConfig.repoRoot, 'scripts', 'platform', 'up.ts')], 120_000);
  await until('placement and scheduler to be healthy again', controlPlaneAnswers);
}

/**
 * Redis stopped without saving (`shutdown nosave`), left down for `downMs`, then started again with CI's command line:
 * every stream, consumer group, pending entry and actor state is lost, as on a pod restart without persistence.
 */
export async function restartRedis(downMs = 5_000): Promise<void> {
  try {
    await run('redis-cli', ['-h', redis.host, '-p', String(redis.port), 'shutdown', 'nosave']).catch(() => undefined);
    await until('Redis to stop', async () => !(await redisAnswers()), 10_000);
    await sleep(downMs);
  } finally {
    await ensureRedis();
  }
}

/**
 * RabbitMQ's application stopped (`rabbitmqctl stop_app`: every connection closed, the node itself stays), down for
 * `downMs`, then started again; durable queues and persistent messages come back from disk.
 */
export async function restartRabbitMq(downMs = 5_000): Promise<void> {
  try {
    await run('rabbitmqctl', ['stop_app'], 120_000);
    await sleep(downMs);
  } finally {
    await ensureRabbitMq();
  }
}

/** PostgreSQL stopped (fast: open sessions are cut), down for `downMs`, started again. */
export async function restartPostgres(downMs = 5_000): Promise<void> {
  try {
    await run('pg_ctlcluster', ['--skip-systemctl-redirect', ...postgresCluster(), 'stop', '-m', 'fast']);
    await sleep(downMs);
  } finally {
    await ensurePostgres();
  }
}

/**
 * S3 unreachable: MinIO frozen with SIGSTOP for `downMs`, then SIGCONT. Connections are accepted by the kernel but
 * nothing answers, the harder case for a client than a refused connection.
 */
export async function freezeMinio(downMs = 30_000): Promise<void> {
  const pid = await minioPid();
  try {
    process.kill(pid, 'SIGSTOP');
    await sleep(downMs);
  } finally {
    process.kill(pid, 'SIGCONT');
    await until('MinIO to answer again', minioAnswers);
  }
}

/** Placement and scheduler stopped (stopDaemon: SIGTERM, then SIGKILL), down for `downMs`, started again. */
export async function restartControlPlane(downMs = 5_000): Promise<void> {
  try {
    await Promise.all([stopDaemon('placement'), stopDaemon('scheduler')]);
    await sleep(downMs);
  } finally {
    await ensureControlPlane();
  }
}

/** Brings back anything a fault may have left down; for an `after` hook, so a failed test never leaves the machine broken. */
export async function restorePlatform(): Promise<void> {
  const pid = await minioPid().catch(() => undefined);
  if (pid !== undefined) process.kill(pid, 'SIGCONT');
  const failed: string[] = [];
  // In order: `npm run platform`, which brings back the control plane, first checks the other three.
  for (const ensure of [ensureRedis, ensureRabbitMq, ensurePostgres, ensureControlPlane]) {
    await ensure().catch((error: unknown) => failed.push((error as Error).message));
  }
  if (failed.length) throw new Error(`could not restore the platform:\n${failed.join('\n')}`);
}
