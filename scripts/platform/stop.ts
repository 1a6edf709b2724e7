import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { defaultRunFile, describeHolder, devkitConfig, platformPorts, type PortHolder, portHolders, readRunFile, stopDaemon } from '@importer/devkit';

const { values } = parseArgs({ options: { force: { type: 'boolean', default: false } } });

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after 10 s: the same grace stopDaemon gives this checkout's own. */
async function end(pid: number): Promise<void> {
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (alive(pid) && Date.now() < deadline) await sleep(100);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

/** Stops what `npm start` left running: the platform daemons it started (never PostgreSQL, Redis or RabbitMQ). */
for (const name of ['scheduler', 'placement', 'sentry', 'minio']) {
  const stopped = await stopDaemon(name);
  console.log(`[platform] ${name}: ${stopped ? 'stopped' : 'not running'}`);
}

// What still holds a fixed port is not in this checkout's pid files: another clone's daemons, or a lost pid file's.
const byPid = new Map<number, PortHolder[]>();
for (const holder of portHolders(platformPorts(readRunFile(defaultRunFile)))) byPid.set(holder.pid, [...(byPid.get(holder.pid) ?? []), holder]);
if (byPid.size === 0) console.log(`[platform] no other process holds the platform's ports`);
for (const [pid, holders] of byPid) {
  const first = holders[0] as PortHolder;
  const { kind, fromHere, origin, launcher } = describeHolder(first, devkitConfig.repoRoot);
  const ports = holders.map((h) => `:${h.port}`).join(', ');
  const who = `${first.name} (pid ${pid}, started in ${origin}${fromHere ? ', this checkout' : ''})`;
  if (kind === 'other') {
    console.log(`[platform] ${ports} held by ${who}: not a platform daemon, left alone`);
  } else if (launcher !== undefined) {
    // Its launcher would start it again at once: that system is stopped with Ctrl+C (or by ending its test run), not here.
    console.log(`[platform] ${ports} held by ${who}, whose launcher (pid ${launcher}) still runs: stop that system first`);
  } else if (!values.force) {
    console.log(`[platform] ${ports} held by ${who}, in none of this checkout's pid files: npm run stop -- --force ends it`);
  } else {
    await end(pid);
    console.log(`[platform] ${ports} held by ${who}: ended (--force)`);
  }
}
