import { parseArgs } from 'node:util';
import { defaultRunFile, describeHolder, devkitConfig, platformPorts, type PortHolder, portHolders, readRunFile, stopDaemon, terminate } from '@importer/devkit';

const { values } = parseArgs({ options: { force: { type: 'boolean', default: false } } });

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
    // The same 10 s grace stopDaemon gives this checkout's own.
    await terminate(pid);
    console.log(`[platform] ${ports} held by ${who}: ended (--force)`);
  }
}
