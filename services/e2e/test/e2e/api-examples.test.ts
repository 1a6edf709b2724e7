import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { JobDetail } from '@importer/contracts';
import { createTestDatabase, type TestDatabase } from '@importer/db/testing';
import { devkitConfig, localPlatform, type RunningSystem, startSystem } from '@importer/devkit';
import {
  buildDemoFolder,
  DriveModel,
  DropboxModel,
  generatePng,
  type RunningDriveEmulator,
  type RunningDropboxEmulator,
  startDriveEmulator,
  startDropboxEmulator,
} from '@importer/emulators';
import { ApiClient, E2E_ADMIN, E2E_ADMIN_ENV } from '../../src/api-client.js';

const run = promisify(execFile);

/** One sample of the Prometheus text format: `name{label="value",...} number`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

async function scrape(url: string): Promise<Sample[]> {
  const response = await fetch(url);
  assert.equal(response.status, 200, url);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
  return (await response.text())
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
      assert.ok(match, `a Prometheus sample: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      return { name: match[1] ?? '', labels, value: Number(match[3]) };
    });
}

const total = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);

/** Every line of an app's log, each parsed as the JSON object it must be. */
function jsonLines(system: RunningSystem, appId: string): Record<string, unknown>[] {
  const app = system.apps.get(appId)?.app;
  assert.ok(app, `${appId} runs`);
  return readFileSync(app.logFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        assert.fail(`${appId} logged a line that is not JSON: ${line}`);
      }
    });
}

describe('the curl examples, the logs and the metrics of a running system', () => {
  let api = new ApiClient('http://127.0.0.1:3000');
  const drive = { model: new DriveModel(`api-examples-${randomUUID()}`) } as { model: DriveModel; emulator?: RunningDriveEmulator };
  const dropbox = { model: new DropboxModel(`api-examples-${randomUUID()}`) } as { model: DropboxModel; emulator?: RunningDropboxEmulator };
  const driveFolder = buildDemoFolder(drive.model).folder;
  const dropboxLink = (() => {
    const { folder, link } = dropbox.model.sharedFolder('Examples');
    for (let i = 1; i <= 3; i++) folder.image(`shore-${i}.png`, 20_000 + i * 1_000);
    folder.folder('Inland').image('hill.png', 30_000);
    return link;
  })();
  const images = { '/one.png': Buffer.concat([...generatePng(`one-${randomUUID()}`, 4_000)]), '/two.png': Buffer.concat([...generatePng(`two-${randomUUID()}`, 6_000)]) };
  let imageServer: Server;
  let db: TestDatabase;
  let system: RunningSystem;
  let jobs: JobDetail[] = [];

  before(async () => {
    imageServer = createServer((req, res) => {
      const body = images[(req.url ?? '') as keyof typeof images];
      if (body) res.writeHead(200, { 'content-type': 'image/png', 'content-length': body.length }).end(body);
      else res.writeHead(404).end();
    });
    imageServer.listen(0);
    await once(imageServer, 'listening');
    db = await createTestDatabase('importer_e2e_examples');
    drive.emulator = await startDriveEmulator({ model: drive.model, apiKeys: ['examples-key'] });
    dropbox.emulator = await startDropboxEmulator({ model: dropbox.model, apps: [{ key: 'examples-app', secret: 'examples-secret' }] });
    system = await startSystem({
      env: {
        ...E2E_ADMIN_ENV,
        DATABASE_URL: db.url,
        S3_ENDPOINT: localPlatform.minio.endpoint,
        GOOGLE_API_KEY: 'examples-key',
        GOOGLE_API_ROOT_URL: drive.emulator.rootUrl,
        DROPBOX_APP_KEY: 'examples-app',
        DROPBOX_APP_SECRET: 'examples-secret',
        DROPBOX_API_URL: dropbox.emulator.apiUrl,
        DROPBOX_CONTENT_URL: dropbox.emulator.contentUrl,
        URL_IMPORT_ALLOWED_HOSTS: 'localhost',
        // Debug adds a line per file transferred, so every file's id can be found in the logs.
        LOG_LEVEL: 'debug',
      },
    });
    api = await ApiClient.signedIn(api.baseUrl);
  });

  after(async () => {
    await system?.stop();
    await drive.emulator?.close();
    await dropbox.emulator?.close();
    imageServer?.closeAllConnections();
    imageServer?.close();
    await db?.drop();
  });

  test('scripts/api-examples.sh calls every endpoint and each answers as documented', async (t) => {
    const port = (imageServer.address() as AddressInfo).port;
    const { stdout } = await run('bash', [join(devkitConfig.repoRoot, 'scripts', 'api-examples.sh')], {
      env: {
        ...process.env,
        // Through the public door, as a person would: the gateway forwards the public routes only.
        BASE_URL: 'http://127.0.0.1:8080/api',
        DRIVE_FOLDER_URL: driveFolder.link,
        DROPBOX_FOLDER_URL: dropboxLink.url,
        IMAGE_URLS: Object.keys(images).map((path) => `http://localhost:${port}${path}`).join(','),
        JOB_TIMEOUT: '120',
        EMAIL: E2E_ADMIN.email,
        PASSWORD: E2E_ADMIN.password,
      },
      timeout: 600_000,
    }).catch((error: { stdout?: string; stderr?: string; message: string }) => assert.fail(`the script failed:\n${error.stdout ?? ''}${error.stderr ?? error.message}`));
    const lines = stdout.split('\n');
    t.diagnostic(`${lines.filter((l) => l.startsWith('ok')).length} calls answered as expected; ${lines.filter((l) => l.startsWith('job ')).join('; ')}`);
    assert.deepEqual(lines.filter((l) => l.startsWith('FAIL')), []);
    assert.match(stdout, /every call answered as expected/);
    const calls = lines.filter((l) => l.startsWith('ok'));
    const openApi = await api.get('/openapi.json');
    for (const [path, methods] of Object.entries(openApi.body.paths as Record<string, Record<string, unknown>>)) {
      const pattern = new RegExp(`^${path.replace(/\{\w+\}/g, '[^/?]+')}(\\?|$)`);
      for (const method of Object.keys(methods)) {
        assert.ok(
          calls.some((l) => {
            const [, , verb, target] = l.split(/\s+/);
            return verb === method.toUpperCase() && pattern.test(target ?? '');
          }),
          `the script calls ${method.toUpperCase()} ${path}`,
        );
      }
    }
    const ids = [...stdout.matchAll(/^job (\S+) /gm)].map((m) => m[1] ?? '');
    jobs = await Promise.all(ids.map((id) => api.job(id)));
    assert.deepEqual(jobs.map((j) => j.source).sort(), ['dropbox', 'google_drive', 'url', 'url']);
    for (const job of jobs) assert.ok(job.status === 'completed' && job.processed_files > 0, JSON.stringify(job));
  });

  test('every log line of the import is JSON, and each line about a job or a file names it', (t) => {
    assert.ok(jobs.length > 0, 'the examples ran');
    const driveJob = jobs.find((j) => j.source === 'google_drive');
    assert.ok(driveJob);
    const logs = Object.fromEntries(['api', 'lister', 'transfer'].map((appId) => [appId, jsonLines(system, appId)]));
    for (const [appId, lines] of Object.entries(logs)) {
      for (const line of lines) {
        assert.equal(line.service, appId, JSON.stringify(line));
        assert.ok(typeof line.time === 'string' && typeof line.msg === 'string' && typeof line.level === 'string', JSON.stringify(line));
        if ('fileId' in line) assert.ok(typeof line.jobId === 'string', `a line about a file names its job: ${JSON.stringify(line)}`);
      }
    }
    t.diagnostic(Object.entries(logs).map(([appId, lines]) => `${appId}: ${lines.length} JSON lines`).join(', '));
    const listed = (logs.lister ?? []).filter((l) => l.msg === 'page listed' && l.jobId === driveJob.job_id);
    assert.ok(listed.length > 0, 'the lister logged the pages of the job');
    const filesDone = (logs.transfer ?? []).filter((l) => l.msg === 'file done' && l.jobId === driveJob.job_id);
    assert.equal(new Set(filesDone.map((l) => l.fileId)).size, driveJob.processed_files, 'one line per file transferred, with its id');
    assert.ok((logs.api ?? []).some((l) => l.jobId === driveJob.job_id && l.msg === 'job finished'));
  });

  test('the metrics count exactly what the imports did, and the queue is empty once they ended', async (t) => {
    assert.ok(jobs.length > 0, 'the examples ran');
    const transfer = await scrape('http://127.0.0.1:3002/metrics');
    for (const source of new Set(jobs.map((j) => j.source))) {
      const ofSource = jobs.filter((j) => j.source === source);
      const sum = (pick: (j: JobDetail) => number) => ofSource.reduce((n, j) => n + pick(j), 0);
      assert.equal(total(transfer, 'importer_files_total', { source, outcome: 'done' }), sum((j) => j.processed_files), `${source}: files done`);
      assert.equal(total(transfer, 'importer_files_total', { source, outcome: 'failed' }), sum((j) => j.failed_files), `${source}: files failed`);
      assert.equal(total(transfer, 'importer_bytes_total', { source }), sum((j) => j.bytes), `${source}: bytes`);
    }
    t.diagnostic(
      ['google_drive', 'dropbox', 'url']
        .map((source) => `${source}: done ${total(transfer, 'importer_files_total', { source, outcome: 'done' })}, bytes ${total(transfer, 'importer_bytes_total', { source })}`)
        .join('; '),
    );
    const driveJob = jobs.find((j) => j.source === 'google_drive');
    const lister = await scrape('http://127.0.0.1:3001/metrics');
    assert.equal(total(lister, 'importer_files_listed_total', { source: 'google_drive' }), (driveJob?.total_files ?? 0) - (driveJob?.skipped_files ?? 0));
    const apiMetrics = await scrape('http://127.0.0.1:3000/metrics');
    assert.equal(total(apiMetrics, 'importer_queue_pending_files'), 0);
    assert.equal(total(apiMetrics, 'importer_queue_pending_folders'), 0);
    assert.ok(total(apiMetrics, 'nodejs_heap_size_used_bytes') > 0, 'the process metrics are there too');
  });
});
