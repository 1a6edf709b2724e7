import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { type ImageCursor, type ImageFilter, ImagesRepository, JobSummariesRepository } from '@importer/db';
import { createTestDatabase } from '@importer/db/testing';
import { localPlatform, type RunningSystem, startSystem } from '@importer/devkit';
import type { DataSource } from 'typeorm';
import { ApiClient, E2E_ADMIN, E2E_ADMIN_ENV } from '../api-client.js';
import { seedImages } from './seed-images.js';

/** The public port: the web gateway, which hands /api on to api through Dapr service invocation. */
const GATEWAY_API = 'http://127.0.0.1:8080/api';
/** api's own port, past both sidecars: the same request there shows what the gateway and the Dapr hop cost. */
const API_DIRECT = 'http://127.0.0.1:3000';
const PAGE_SIZE = 50;
const DEEP_PAGE = 5_000;

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '1000000' },
    jobs: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '100' },
  },
});
const [images, jobs, seconds, connections] = [values.images, values.jobs, values.seconds, values.connections].map(Number) as [number, number, number, number];

/** What the API's cursor holds (api's keyset-cursor.ts): the page's last (created_at, id), base64url JSON. */
const cursorAt = (row: { created_at: Date; id: string }): string => Buffer.from(JSON.stringify([row.created_at.toISOString(), row.id])).toString('base64url');

/** The cursor that opens page `page` of the filter, or of its last page when it has fewer; and the page it opens. */
async function deepCursor(db: DataSource, filter: ImageFilter, page: number): Promise<{ cursor: string; page: number; position: ImageCursor }> {
  const params: unknown[] = [filter.ownerId];
  const where = ['owner_id = $1', ...(filter.source ? [`source = $${params.push(filter.source)}`] : []), ...(filter.jobId ? [`job_id = $${params.push(filter.jobId)}`] : [])];
  const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM images WHERE ${where.join(' AND ')}`, params)) as [{ n: number }];
  const reached = Math.min(page, Math.ceil(n / PAGE_SIZE));
  const [row] = (await db.query(
    `SELECT created_at, id FROM images WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC OFFSET $${params.push((reached - 1) * PAGE_SIZE - 1)} LIMIT 1`,
    params,
  )) as { created_at: Date; id: string }[];
  if (!row) throw new Error(`no row before page ${reached}`);
  return { cursor: cursorAt(row), page: reached, position: { createdAt: row.created_at, id: row.id } };
}

/** The repository's own statements, each run as EXPLAIN (ANALYZE, BUFFERS): the plans of exactly what the API asks. */
function explaining(db: DataSource, plans: string[]): DataSource {
  return {
    query: async (sql: string, params: unknown[]) => {
      const rows = (await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)) as { 'QUERY PLAN': string }[];
      plans.push(rows.map((row) => row['QUERY PLAN']).join('\n'));
      return [];
    },
  } as unknown as DataSource;
}

interface Case {
  name: string;
  path: string;
  base?: string;
  explain: (db: DataSource) => Promise<unknown>;
}

async function measure(url: string, apiKey: string): Promise<autocannon.Result> {
  return autocannon({ url, connections, duration: seconds, headers: { authorization: `Bearer ${apiKey}` } });
}

const db = await createTestDatabase('importer_gallery_bench');
let system: RunningSystem | undefined;
try {
  system = await startSystem({ env: { ...E2E_ADMIN_ENV, DATABASE_URL: db.url, S3_ENDPOINT: localPlatform.minio.endpoint, LOG_LEVEL: 'warn' } });
  const client = await ApiClient.signedIn(GATEWAY_API);
  const [{ id: ownerId }] = (await db.dataSource.query(`SELECT id FROM users WHERE email = $1`, [E2E_ADMIN.email])) as [{ id: string }];
  const seeded = await seedImages(db.dataSource, ownerId, { images, jobs });
  console.log(`seeded ${seeded.images} images over ${seeded.jobIds.length} jobs and 3 sources in ${seeded.seconds.toFixed(1)} s`);

  const job = seeded.jobIds[1] ?? '';
  const filters: [string, Omit<ImageFilter, 'ownerId'>, string][] = [
    ['no filter', {}, ''],
    ['source=dropbox', { source: 'dropbox' }, 'source=dropbox'],
    ['job_id', { jobId: job }, `job_id=${job}`],
    ['source+job_id', { source: 'dropbox', jobId: job }, `source=dropbox&job_id=${job}`],
  ];
  const cases: Case[] = [];
  for (const [label, narrowing, query] of filters) {
    const filter = { ownerId, ...narrowing };
    const deep = await deepCursor(db.dataSource, filter, DEEP_PAGE);
    for (const [page, cursor, position] of [[1, undefined, undefined], [deep.page, deep.cursor, deep.position]] as const) {
      const params = [query, `limit=${PAGE_SIZE}`, ...(cursor ? [`cursor=${cursor}`] : [])].filter(Boolean).join('&');
      cases.push({
        name: `GET /images ${label}, page ${page}`,
        path: `/images?${params}`,
        explain: async (plain) => {
          const repository = new ImagesRepository(plain);
          await repository.page(filter, PAGE_SIZE + 1, position ? { cursor: position } : { offset: 0 });
          await repository.count(filter);
        },
      });
    }
  }
  const [first] = cases;
  if (first) cases.push({ ...first, name: `${first.name}, straight to api (no gateway, no sidecars)`, base: API_DIRECT });
  cases.push({ name: 'GET /import/jobs, page 1', path: '/import/jobs', explain: (plain) => new JobSummariesRepository(plain).page({ ownerId }, 21) });

  const loadBefore = loadavg();
  const results: { name: string; p50: number; p99: number; rps: number; non2xx: number; errors: number }[] = [];
  for (const bench of cases) {
    const plans: string[] = [];
    await bench.explain(explaining(db.dataSource, plans));
    console.log(`\n=== ${bench.name}: ${bench.path.slice(0, 120)}`);
    for (const plan of plans) console.log(`--- EXPLAIN (ANALYZE, BUFFERS)\n${plan}`);
    const base = bench.base ?? GATEWAY_API;
    const warm = await client.at(base).get(bench.path);
    if (warm.status !== 200) throw new Error(`${bench.path}: ${warm.status} ${JSON.stringify(warm.body)}`);
    const result = await measure(`${base}${bench.path}`, client.apiKey ?? '');
    const row = { name: bench.name, p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average, non2xx: result.non2xx, errors: result.errors };
    results.push(row);
    console.log(`p50 ${row.p50} ms, p99 ${row.p99} ms, ${row.rps} requests/s, non-2xx ${row.non2xx}, errors ${row.errors}, total ${String(warm.body.total ?? '-')}`);
  }
  console.log(`\n${connections} connections, ${seconds} s per case, through ${GATEWAY_API} unless said; load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.table(results);
} finally {
  await system?.stop();
  await db.drop();
}
