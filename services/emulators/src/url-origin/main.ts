import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createUrlOrigin } from './url-origin.js';

// Run as a child of the bench, so its CPU and memory are counted apart: prints `listening <port>` once ready.
const { values } = parseArgs({
  options: { files: { type: 'string' }, 'file-size': { type: 'string' }, 'latency-ms': { type: 'string', default: '0' } },
});
const server = createUrlOrigin({ files: Number(values.files), fileSize: Number(values['file-size']), latencyMs: Number(values['latency-ms']) });
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1');
await once(server, 'listening');
console.log(`listening ${(server.address() as AddressInfo).port}`);
process.on('SIGTERM', () => process.exit(0));
