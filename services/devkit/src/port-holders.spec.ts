import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeHolder, listeningSockets, platformPorts, type PortHolder } from './port-holders.js';

const table = [
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  '   0: 0100007F:C355 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 41234 1 0000000000000000 100 0 0 10 0',
  '   1: 0100007F:0BB8 0100007F:D2A4 01 00000000:00000000 00:00000000 00000000     0        0 41299 1 0000000000000000 20 4 30 10 -1',
  '   2: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 51000 1 0000000000000000 100 0 0 10 0',
  '   3: 0100007F:2328 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 0 1 0000000000000000 100 0 0 10 0',
].join('\n');

test('listening sockets are read from /proc/net/tcp: hex port and inode, established connections left out', () => {
  assert.deepEqual(listeningSockets(table), [
    { port: 50005, inode: '41234' },
    { port: 8080, inode: '51000' },
  ]);
});

test('an empty or unreadable table has no sockets', () => {
  assert.deepEqual(listeningSockets(''), []);
});

test('the platform ports are the daemons\' and the run file\'s fixed ones, each once', () => {
  const ports = platformPorts({ apps: [{ appPort: 3000, daprHTTPPort: 3500, daprGRPCPort: 50001 }, { appPort: 3000 }, {}] as never });
  for (const port of [50005, 58080, 59090, 50006, 52379, 52380, 50007, 9000, 9001, 3000, 3500, 50001]) assert.ok(ports.includes(port), String(port));
  assert.equal(ports.filter((p) => p === 3000).length, 1);
  assert.deepEqual(ports, [...ports].sort((a, b) => a - b));
});

const holder = (over: Partial<PortHolder>): PortHolder => ({
  port: 50005,
  pid: 7,
  name: 'placement',
  command: 'placement --port 50005',
  cwd: '/work/main',
  parentPid: 1,
  parentName: '',
  ...over,
});

test('a holder from this checkout is known by its working directory or a path under the checkout in its arguments', () => {
  assert.deepEqual(describeHolder(holder({}), '/work/main'), { kind: 'platform', fromHere: true, origin: '/work/main', launcher: undefined });
  assert.equal(describeHolder(holder({ cwd: '/work/main/services/api' }), '/work/main').fromHere, true);
  assert.equal(describeHolder(holder({ cwd: '/', command: 'minio server /work/main/.data/minio' }), '/work/main').fromHere, true);
});

test('another clone beside this one is not mistaken for it, though its path starts the same', () => {
  const other = holder({ cwd: '/work/main-clone', command: 'scheduler --etcd-data-dir /work/main-clone/.data/scheduler' });
  assert.deepEqual(describeHolder(other, '/work/main'), { kind: 'platform', fromHere: false, origin: '/work/main-clone', launcher: undefined });
});

test('only placement, scheduler, sentry, minio and daprd count as platform processes', () => {
  for (const name of ['placement', 'scheduler', 'sentry', 'minio', 'daprd']) assert.equal(describeHolder(holder({ name }), '/x').kind, 'platform');
  for (const name of ['node', 'postgres', 'redis-server']) assert.equal(describeHolder(holder({ name }), '/x').kind, 'other');
});

test('a sidecar whose Node launcher still runs names it; a detached daemon under init or a subreaper has none', () => {
  assert.equal(describeHolder(holder({ name: 'daprd', parentPid: 4242, parentName: 'node' }), '/x').launcher, 4242);
  assert.equal(describeHolder(holder({ name: 'daprd', parentPid: 1, parentName: '' }), '/x').launcher, undefined);
  assert.equal(describeHolder(holder({ name: 'minio', parentPid: 80, parentName: 'tini' }), '/x').launcher, undefined);
});
