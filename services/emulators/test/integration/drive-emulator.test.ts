import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '@importer/devkit';
import { DEMO_FOLDER_ID, DriveEmulatorClient, EDGE_CASE_FOLDER_ID, DriveModel, type RunningDriveEmulator, startDriveEmulator } from '@importer/emulators';

const model = new DriveModel('emulator-http');
const root = model.folder('Root');
const image = root.image('photo.png', { size: 50_000 });
const empty = root.file('empty.bin', { content: '', mimeType: 'application/octet-stream' });
const doc = root.googleDoc('Notes');
const sub = root.folder('Sub');
const shortcut = root.shortcut('Link', image);
root.generatedImages(145);
const keyed = model.folder('Keyed', { resourceKey: true });
const keyedImage = keyed.image('k.png', { size: 2_000, resourceKey: true });
const hidden = model.folder('Hidden', { private: true });
hidden.image('secret.png');
const shared = model.folder('Team drive', { driveId: '0ATeamDrive0000000000' });
const sharedImage = shared.image('team.png', { size: 2_000 });
const partial = model.folder('Partial', { maxPageSize: 2 });
partial.generatedImages(5);

const q = (folderId: string) => `'${folderId}' in parents and trashed = false`;

describe('Drive emulator over HTTP', () => {
  let emulator: RunningDriveEmulator;
  let client: DriveEmulatorClient;

  const call = async (path: string, params: Record<string, string | undefined> = {}, headers: Record<string, string> = {}) => {
    const url = new URL(path.replace(/^\//, ''), emulator.rootUrl);
    for (const [k, v] of Object.entries({ key: 'k', ...params })) if (v !== undefined) url.searchParams.set(k, v);
    const response = await fetch(url, { headers });
    const bytes = Buffer.from(await response.arrayBuffer());
    const text = bytes.toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, bytes, text, json: json as Record<string, unknown> };
  };
  const list = (folderId: string, params: Record<string, string | undefined> = {}, headers: Record<string, string> = {}) =>
    call('/drive/v3/files', { q: q(folderId), ...params }, headers);

  before(async () => {
    emulator = await startDriveEmulator({ model, port: await freePort(), apiKeys: ['k', 'k2'] });
    client = new DriveEmulatorClient(emulator.rootUrl);
  });

  after(async () => {
    await emulator?.close();
  });

  beforeEach(async () => {
    await client.reset();
  });

  describe('API key', () => {
    test('a missing key is 403 with Google\'s body', async () => {
      const r = await call('/drive/v3/files', { key: undefined, q: q(root.id) });
      assert.equal(r.status, 403);
      assert.deepEqual(r.json, {
        error: {
          code: 403,
          message: 'The request is missing a valid API key.',
          errors: [{ message: 'The request is missing a valid API key.', domain: 'global', reason: 'forbidden' }],
          status: 'PERMISSION_DENIED',
        },
      });
    });

    test('a key outside the configured set is 400 keyInvalid; another configured key works', async () => {
      const r = await call(`/drive/v3/files/${root.id}`, { key: 'nope' });
      assert.equal(r.status, 400);
      assert.equal((r.json.error as { errors: { reason: string }[] }).errors[0]?.reason, 'keyInvalid');
      assert.equal((await call(`/drive/v3/files/${root.id}`, { key: 'k2' })).status, 200);
    });
  });

  describe('files.list', () => {
    test('without fields: kind, id, name and mimeType per file, 100 per page, and a token', async () => {
      const r = await list(root.id);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'application/json; charset=UTF-8');
      const files = r.json.files as Record<string, unknown>[];
      assert.equal(files.length, 100);
      assert.deepEqual(files[0], { kind: 'drive#file', id: image.id, name: 'photo.png', mimeType: 'image/png' });
      assert.equal(r.json.kind, 'drive#fileList');
      assert.equal(typeof r.json.nextPageToken, 'string');
      const next = await list(root.id, { pageToken: r.json.nextPageToken as string });
      assert.equal((next.json.files as unknown[]).length, 50);
      assert.equal(next.json.nextPageToken, undefined);
    });

    test('fields selects nested keys; keys that do not apply are absent, never null; size is a string', async () => {
      const fields = 'nextPageToken,files(id,name,mimeType,size,md5Checksum,resourceKey,imageMediaMetadata(width,height),shortcutDetails(targetId,targetMimeType,targetResourceKey),parents)';
      const r = await list(root.id, { fields, pageSize: '6' });
      const files = r.json.files as Record<string, unknown>[];
      const byName = Object.fromEntries(files.map((f) => [f.name, f]));
      assert.deepEqual(byName['photo.png'], {
        id: image.id,
        name: 'photo.png',
        mimeType: 'image/png',
        size: '50000',
        md5Checksum: model.md5(image),
        imageMediaMetadata: { width: image.image?.width, height: image.image?.height },
        parents: [root.id],
      });
      assert.deepEqual(byName.Sub, { id: sub.id, name: 'Sub', mimeType: 'application/vnd.google-apps.folder', parents: [root.id] });
      assert.deepEqual(byName.Notes, { id: doc.id, name: 'Notes', mimeType: 'application/vnd.google-apps.document', parents: [root.id] });
      assert.deepEqual(byName.Link, {
        id: shortcut.id,
        name: 'Link',
        mimeType: 'application/vnd.google-apps.shortcut',
        shortcutDetails: { targetId: image.id, targetMimeType: 'image/png' },
        parents: [root.id],
      });
      assert.equal(byName['empty.bin']?.size, '0');
      assert.ok(!r.text.includes('null'));
    });

    test('a selection without nextPageToken gets no token, as Drive does', async () => {
      const r = await list(root.id, { fields: 'files(id)' });
      assert.deepEqual(Object.keys(r.json), ['files']);
    });

    test('an invalid selector is 400 invalidParameter "Invalid field selection x"', async () => {
      const r = await list(root.id, { fields: 'files(id,items)' });
      assert.equal(r.status, 400);
      assert.deepEqual(r.json, {
        error: {
          code: 400,
          message: 'Invalid field selection items',
          errors: [{ domain: 'global', reason: 'invalidParameter', message: 'Invalid field selection items', location: 'fields', locationType: 'parameter' }],
        },
      });
    });

    test('other queries, bad page sizes and unknown page tokens are 400 invalid', async () => {
      const cases: [Record<string, string>, string][] = [
        [{ q: "name contains 'x'" }, 'q'],
        [{ q: q(root.id), pageSize: '0' }, 'pageSize'],
        [{ q: q(root.id), pageSize: '1001' }, 'pageSize'],
        [{ q: q(root.id), pageToken: 'made-up' }, 'pageToken'],
        [{ q: q(root.id), supportsAllDrives: 'yes' }, 'supportsAllDrives'],
      ];
      for (const [params, location] of cases) {
        const r = await call('/drive/v3/files', params);
        assert.equal(r.status, 400, JSON.stringify(params));
        const error = (r.json.error as { errors: { reason: string; location: string }[] }).errors[0];
        assert.deepEqual([error?.reason, error?.location], ['invalid', location]);
      }
    });

    test('a parameter given twice is 400 invalid, naming it', async () => {
      const url = new URL(`drive/v3/files?key=k&q=${encodeURIComponent(q(root.id))}&pageSize=5&pageSize=6`, emulator.rootUrl);
      const response = await fetch(url);
      assert.equal(response.status, 400);
      const body = (await response.json()) as { error: { errors: { reason: string; location: string }[] } };
      assert.deepEqual(body.error.errors.map((e) => [e.reason, e.location]), [['invalid', 'pageSize']]);
    });

    test('a page token is tied to its folder', async () => {
      const token = (await list(root.id, { pageSize: '1' })).json.nextPageToken as string;
      assert.equal((await list(sub.id, { pageToken: token })).status, 400);
    });

    test('pageSize 1000 is the maximum and returns the whole 150-entry folder', async () => {
      const r = await list(root.id, { pageSize: '1000' });
      assert.equal((r.json.files as unknown[]).length, 150);
    });

    test('a folder nobody may see, or whose key was not sent, lists as 200 and empty', async () => {
      for (const folderId of [hidden.id, keyed.id, '1unknownFolder0000000000000000000']) {
        const r = await list(folderId);
        assert.equal(r.status, 200);
        assert.deepEqual(r.json, { kind: 'drive#fileList', incompleteSearch: false, files: [] });
      }
      const withKey = await list(keyed.id, { fields: 'files(id,resourceKey)' }, { 'X-Goog-Drive-Resource-Keys': `${keyed.id}/${keyed.resourceKey}` });
      assert.deepEqual(withKey.json.files, [{ id: keyedImage.id, resourceKey: keyedImage.resourceKey }]);
      const wrongKey = await list(keyed.id, {}, { 'X-Goog-Drive-Resource-Keys': `${keyed.id}/0-wrong` });
      assert.deepEqual(wrongKey.json.files, []);
    });

    test('shared-drive content needs supportsAllDrives and includeItemsFromAllDrives', async () => {
      assert.deepEqual((await list(shared.id)).json.files, []);
      assert.deepEqual((await list(shared.id, { supportsAllDrives: 'true' })).json.files, []);
      const r = await list(shared.id, { supportsAllDrives: 'true', includeItemsFromAllDrives: 'true', fields: 'files(id,driveId)' });
      assert.deepEqual(r.json.files, [{ id: sharedImage.id, driveId: '0ATeamDrive0000000000' }]);
    });

    test('a folder may answer partial pages before its end', async () => {
      const sizes: number[] = [];
      let token: string | undefined;
      do {
        const r = await list(partial.id, { pageSize: '1000', ...(token ? { pageToken: token } : {}) });
        sizes.push((r.json.files as unknown[]).length);
        token = r.json.nextPageToken as string | undefined;
      } while (token);
      assert.deepEqual(sizes, [2, 2, 1]);
    });
  });

  describe('files.get', () => {
    test('metadata with fields, and Google\'s 404 for unknown and private ids', async () => {
      const r = await call(`/drive/v3/files/${image.id}`, { fields: 'id,name,size,md5Checksum', supportsAllDrives: 'true' });
      assert.deepEqual(r.json, { id: image.id, name: 'photo.png', size: '50000', md5Checksum: model.md5(image) });
      const missing = await call('/drive/v3/files/1nope000000000000');
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.json, {
        error: {
          code: 404,
          message: 'File not found: 1nope000000000000.',
          errors: [{ domain: 'global', reason: 'notFound', message: 'File not found: 1nope000000000000.', location: 'fileId', locationType: 'parameter' }],
        },
      });
      assert.equal((await call(`/drive/v3/files/${hidden.id}`)).status, 404);
      assert.equal((await call(`/drive/v3/files/${sharedImage.id}`)).status, 404, 'shared-drive item without supportsAllDrives');
      assert.equal((await call(`/drive/v3/files/${sharedImage.id}`, { supportsAllDrives: 'true' })).status, 200);
    });

    test('resource keys: 404 without, 200 with, for folders, metadata and media', async () => {
      const folderHeader = { 'X-Goog-Drive-Resource-Keys': `${keyed.id}/${keyed.resourceKey}` };
      assert.equal((await call(`/drive/v3/files/${keyed.id}`)).status, 404);
      assert.equal((await call(`/drive/v3/files/${keyed.id}`, {}, folderHeader)).status, 200);
      assert.equal((await call(`/drive/v3/files/${keyedImage.id}`, { alt: 'media' }, folderHeader)).status, 404, 'the folder\'s key does not open the file');
      const both = { 'X-Goog-Drive-Resource-Keys': `${keyed.id}/${keyed.resourceKey},${keyedImage.id}/${keyedImage.resourceKey}` };
      const media = await call(`/drive/v3/files/${keyedImage.id}`, { alt: 'media' }, both);
      assert.equal(media.status, 200);
      assert.equal(createHash('md5').update(media.bytes).digest('hex'), model.md5(keyedImage));
    });

    test('alt=media sends the bytes with Content-Type and Content-Length, on both paths', async () => {
      for (const prefix of ['/drive/v3', '/download/drive/v3']) {
        const r = await call(`${prefix}/files/${image.id}`, { alt: 'media' });
        assert.equal(r.status, 200);
        assert.equal(r.headers.get('content-type'), 'image/png');
        assert.equal(r.headers.get('content-length'), '50000');
        assert.equal(r.bytes.length, 50_000);
        assert.equal(createHash('md5').update(r.bytes).digest('hex'), model.md5(image));
        assert.deepEqual([...r.bytes.subarray(1, 4)], [0x50, 0x4e, 0x47], 'a PNG');
      }
    });

    test('Range gives 206 with Content-Range and exactly those bytes; a bad range is 416', async () => {
      const whole = (await call(`/drive/v3/files/${image.id}`, { alt: 'media' })).bytes;
      const part = await call(`/drive/v3/files/${image.id}`, { alt: 'media' }, { Range: 'bytes=100-199' });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get('content-range'), 'bytes 100-199/50000');
      assert.equal(part.headers.get('content-length'), '100');
      assert.deepEqual(part.bytes, whole.subarray(100, 200));
      const tail = await call(`/drive/v3/files/${image.id}`, { alt: 'media' }, { Range: 'bytes=-10' });
      assert.deepEqual(tail.bytes, whole.subarray(49_990));
      for (const [id, range] of [[image.id, 'bytes=50000-'], [empty.id, 'bytes=0-0']] as const) {
        const bad = await call(`/drive/v3/files/${id}`, { alt: 'media' }, { Range: range });
        assert.equal(bad.status, 416);
        assert.equal((bad.json.error as { errors: { reason: string }[] }).errors[0]?.reason, 'requestedRangeNotSatisfiable');
        assert.match(bad.headers.get('content-range') ?? '', /^bytes \*\/\d+$/);
      }
    });

    test('Google Docs, folders and shortcuts are 403 fileNotDownloadable with Google\'s exact body', async () => {
      for (const id of [doc.id, sub.id, shortcut.id]) {
        const r = await call(`/drive/v3/files/${id}`, { alt: 'media' });
        assert.equal(r.status, 403);
        assert.deepEqual(r.json, {
          error: {
            code: 403,
            message: 'Only files with binary content can be downloaded. Use Export with Docs Editors files.',
            errors: [
              {
                domain: 'global',
                reason: 'fileNotDownloadable',
                message: 'Only files with binary content can be downloaded. Use Export with Docs Editors files.',
                location: 'alt',
                locationType: 'parameter',
              },
            ],
          },
        });
      }
    });
  });

  describe('scripted faults through /_emulator', () => {
    test('two 503s then the normal answer, counted per route and per file', async () => {
      await client.addFaults({ route: 'files.get', fileId: image.id, responses: [{ type: 'error', status: 503 }, { type: 'error', status: 503 }] });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await call(`/drive/v3/files/${image.id}`)).status);
      assert.deepEqual(statuses, [503, 503, 200]);
      assert.equal((await call(`/drive/v3/files/${sub.id}`)).status, 200, 'other files are untouched');
      const counters = await client.counters();
      assert.equal(counters.routes['files.get'], 4);
      assert.deepEqual(counters.files[image.id], { 'files.get': 3 });
      assert.equal(counters.faultsServed, 2);
    });

    test('a 429 carries Retry-After; reasons get Google\'s status and message; bodies can be empty or null-message', async () => {
      await client.addFaults({
        route: 'files.list',
        responses: [
          { type: 'error', status: 429, retryAfter: '1' },
          { type: 'error', reason: 'userRateLimitExceeded' },
          { type: 'error', status: 500, body: 'empty' },
          { type: 'error', status: 500, body: 'nullMessage' },
        ],
      });
      const r429 = await list(root.id);
      assert.equal(r429.status, 429);
      assert.equal(r429.headers.get('retry-after'), '1');
      assert.equal((r429.json.error as { errors: { reason: string }[] }).errors[0]?.reason, 'rateLimitExceeded');
      const r403 = await list(root.id);
      assert.deepEqual([r403.status, (r403.json.error as { message: string }).message], [403, 'User Rate Limit Exceeded']);
      const emptyBody = await list(root.id);
      assert.deepEqual([emptyBody.status, emptyBody.text], [500, '']);
      const nullMessage = await list(root.id);
      assert.deepEqual(nullMessage.json, { error: { code: 500, message: null } });
      assert.equal((await list(root.id)).status, 200);
    });

    test('a permanent per-file fault keeps answering; reset clears it', async () => {
      await client.addFaults({ route: 'files.media', fileId: image.id, responses: [{ type: 'error', reason: 'cannotDownloadAbusiveFile' }], repeat: true });
      for (let i = 0; i < 3; i++) {
        const r = await call(`/drive/v3/files/${image.id}`, { alt: 'media' });
        assert.equal(r.status, 403);
        assert.equal((r.json.error as { message: string }).message, 'This file has been identified as malware or spam and cannot be downloaded.');
      }
      assert.equal((await call(`/drive/v3/files/${image.id}`)).status, 200, 'metadata is another route');
      await client.reset();
      assert.equal((await call(`/drive/v3/files/${image.id}`, { alt: 'media' })).status, 200);
      assert.deepEqual((await client.counters()).routes, { 'files.list': 0, 'files.get': 0, 'files.media': 1 });
    });

    test('a reset drops the connection before any answer', async () => {
      await client.addFaults({ route: 'files.get', responses: [{ type: 'reset' }] });
      await assert.rejects(call(`/drive/v3/files/${image.id}`));
      assert.equal((await call(`/drive/v3/files/${image.id}`)).status, 200);
    });

    test('resetMidBody sends the status, headers and the first bytes, then drops the connection', async () => {
      const received = () =>
        new Promise<{ status: number; length: string | undefined; bytes: number; aborted: boolean }>((resolve) => {
          const url = new URL(`drive/v3/files/${image.id}?alt=media&key=k`, emulator.rootUrl);
          request(url, (res) => {
            let bytes = 0;
            res.on('data', (chunk: Buffer) => (bytes += chunk.length));
            res.on('error', () => {});
            res.on('close', () => resolve({ status: res.statusCode ?? 0, length: res.headers['content-length'], bytes, aborted: !res.complete }));
          }).end();
        });
      await client.addFaults({ route: 'files.media', responses: [{ type: 'resetMidBody', afterBytes: 10_000 }, { type: 'resetMidBody' }, { type: 'resetMidBody', afterBytes: 0 }] });
      assert.deepEqual(await received(), { status: 200, length: '50000', bytes: 10_000, aborted: true });
      assert.deepEqual(await received(), { status: 200, length: '50000', bytes: 25_000, aborted: true });
      assert.deepEqual(await received(), { status: 200, length: '50000', bytes: 0, aborted: true });
      assert.deepEqual(await received(), { status: 200, length: '50000', bytes: 50_000, aborted: false });
    });

    test('a delay fault and the latency setting slow answers down', async () => {
      await client.addFaults({ route: 'files.get', responses: [{ type: 'delay', ms: 150 }] });
      let started = Date.now();
      assert.equal((await call(`/drive/v3/files/${image.id}`)).status, 200);
      assert.ok(Date.now() - started >= 140, 'delayed');
      await client.setLatency(100);
      started = Date.now();
      await list(sub.id);
      await call(`/drive/v3/files/${sub.id}`);
      assert.ok(Date.now() - started >= 190, 'two requests, 100 ms each');
      await client.reset();
      assert.equal(emulator.control.latencyMs(), 0);
    });

    test('a malformed fault rule is refused with 400 and changes nothing', async () => {
      await assert.rejects(client.addFaults({ route: 'files.nope' as 'files.get', responses: [{ type: 'reset' }] }), /answered 400/);
      assert.deepEqual(emulator.control.faults(), []);
    });

    test('/_emulator/folders lists the top-level folders with their links', async () => {
      const folders = await client.folders();
      assert.deepEqual(folders.find((f) => f.id === keyed.id), { id: keyed.id, name: 'Keyed', resourceKey: keyed.resourceKey, link: keyed.link });
    });
  });
});

describe('the emulator CLI (npm run serve -w services/emulators)', () => {
  test('starts on DRIVE_EMULATOR_PORT and prints the demo and edge-case folder links and the root URL, which serves the demo folder', async () => {
    const port = await freePort();
    const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', main], {
      env: { ...process.env, DRIVE_EMULATOR_PORT: String(port), DROPBOX_EMULATOR_PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const lines: string[] = [];
      const rl = createInterface({ input: child.stdout });
      for await (const line of rl) {
        lines.push(line);
        if (lines.length === 5) break;
      }
      const output = lines.join('\n');
      assert.match(output, new RegExp(`https://drive\\.google\\.com/drive/folders/${DEMO_FOLDER_ID}`));
      assert.match(output, new RegExp(`GOOGLE_API_ROOT_URL=http://127\\.0\\.0\\.1:${port}/`));
      assert.match(output, new RegExp(`edge cases: +https://drive\\.google\\.com/drive/folders/${EDGE_CASE_FOLDER_ID}`));
      const response = await fetch(`http://127.0.0.1:${port}/drive/v3/files?key=any&q=${encodeURIComponent(q(DEMO_FOLDER_ID))}&fields=files(name,mimeType)`);
      const files = ((await response.json()) as { files: { name: string; mimeType: string }[] }).files;
      assert.ok(files.filter((f) => f.mimeType === 'image/png').length >= 10);
      assert.ok(files.some((f) => f.mimeType === 'application/vnd.google-apps.folder'));
      assert.ok(files.some((f) => f.mimeType === 'application/vnd.google-apps.shortcut'));
      assert.ok(files.some((f) => f.mimeType === 'application/vnd.google-apps.document'));
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
