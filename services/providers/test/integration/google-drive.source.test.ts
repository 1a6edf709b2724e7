import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { FolderRef, SourceFile } from '@importer/contracts';
import { freePort } from '@importer/devkit';
import { buildEdgeCaseFolder, DriveModel, type RunningDriveEmulator, startDriveEmulator } from '@importer/emulators';
import {
  classifyDriveError,
  DRIVE_SKIP_REASONS,
  GoogleDriveSource,
  type GoogleDriveSourceOptions,
  type ListPage,
  type RequestBudget,
  SourceError,
} from '@importer/providers';

/** A budget that records what the source asked of it. */
function recordingBudget() {
  const budget = {
    acquired: 0,
    throttles: [] as number[],
    acquire: async () => {
      budget.acquired += 1;
    },
    throttle: (ms: number) => {
      budget.throttles.push(ms);
    },
  };
  return budget satisfies RequestBudget;
}

const model = new DriveModel('provider-integration');
const root = model.folder('Holiday', { emptyPages: [1] });
const first = root.image('a.png', { size: 70_000 });
root.image('b.png', { size: 1_000 });
root.image('фото – 写真 🌅.png', { size: 5_000 });
root.image('2024/05/01 party.png', { size: 5_000 });
const longName = `${'long '.repeat(60)}.png`;
root.image(longName, { size: 5_000 });
const dup1 = root.image('dup.png', { size: 3_000 });
const dup2 = root.image('dup.png', { size: 3_000 });
const doc = root.googleDoc('Trip notes', 'document');
const sheet = root.googleDoc('Budget', 'spreadsheet');
const text = root.file('readme.txt', { content: 'not an image', mimeType: 'text/plain' });
const sub = root.folder('Sub');
const deeper = sub.folder('Deeper');
const deep = deeper.image('deep.png', { size: 2_000 });
const elsewhere = model.folder('Elsewhere');
const target = elsewhere.image('target.png', { size: 4_000, resourceKey: true });
const targetFolder = elsewhere.folder('Target folder', { resourceKey: true });
const fileShortcut = root.shortcut('Link to target.png', target);
const folderShortcut = root.shortcut('Link to folder', targetFolder.item);
const dangling = root.shortcut('Broken link.png', { id: '1MissingTarget00000000000000000ab', mimeType: 'image/jpeg' });
const keyed = model.folder('Keyed', { resourceKey: true });
const keyedImage = keyed.image('k.png', { size: 3_000, resourceKey: true });
const hidden = model.folder('Private', { private: true });
const big = model.folder('Big');
const large = big.image('large.png', { size: 20 * 1024 * 1024 });
const many = model.folder('Many');
many.generatedImages(2_500, { size: 2_000 });

const edgeCases = buildEdgeCaseFolder(model);

const ref = (folder: { id: string; resourceKey?: string | undefined }, path = ''): FolderRef => ({
  id: folder.id,
  path,
  ...(folder.resourceKey ? { resourceKey: folder.resourceKey } : {}),
});

async function listAll(source: GoogleDriveSource, folder: FolderRef): Promise<{ pages: ListPage[]; merged: ListPage }> {
  const pages: ListPage[] = [];
  let cursor: string | null = null;
  do {
    const page = await source.listPage(folder, cursor);
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor !== null && pages.length < 100);
  return {
    pages,
    merged: {
      files: pages.flatMap((p) => p.files),
      folders: pages.flatMap((p) => p.folders),
      skipped: pages.flatMap((p) => p.skipped),
      nextCursor: null,
    },
  };
}

async function md5Of(stream: NodeJS.ReadableStream): Promise<{ md5: string; bytes: number }> {
  const hash = createHash('md5');
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { md5: hash.digest('hex'), bytes };
}

describe('GoogleDriveSource against the Drive emulator, through the real googleapis client', () => {
  let emulator: RunningDriveEmulator;
  let budget: ReturnType<typeof recordingBudget>;
  let sleeps: number[];

  const source = (options: Partial<GoogleDriveSourceOptions> = {}) =>
    new GoogleDriveSource({
      apiKey: 'test-key',
      rootUrl: emulator.rootUrl,
      budget,
      // Backoff waits are recorded, not slept, so the assertions can check them and the tests stay fast.
      retry: { baseDelayMs: 10, sleep: async (ms) => void sleeps.push(ms) },
      ...options,
    });

  before(async () => {
    emulator = await startDriveEmulator({ model, port: await freePort(), apiKeys: ['test-key'] });
  });

  after(async () => {
    await emulator?.close();
  });

  beforeEach(() => {
    emulator.control.reset();
    budget = recordingBudget();
    sleeps = [];
  });

  describe('inspectRoot', () => {
    test('names a visible folder', async () => {
      assert.deepEqual(await source().inspectRoot(ref(root)), { name: 'Holiday' });
    });

    test('a private folder, an unknown id and a folder whose resource key was not sent are not_found', async () => {
      for (const folder of [ref(hidden), { id: '1NoSuchFolder000000000000000000ab', path: '' }, { id: keyed.id, path: '' }]) {
        await assert.rejects(source().inspectRoot(folder), (e: unknown) => {
          assert.ok(e instanceof SourceError);
          assert.equal(e.kind, 'not_found');
          assert.equal(e.details.status, 404);
          assert.match(e.message, /not shared with "anyone with the link"/);
          return true;
        });
      }
      assert.deepEqual(await source().inspectRoot(ref(keyed)), { name: 'Keyed' });
    });

    test('a file id is not_found with reason not_a_folder', async () => {
      await assert.rejects(source().inspectRoot({ id: first.id, path: '' }), (e: unknown) => {
        assert.ok(e instanceof SourceError);
        assert.deepEqual([e.kind, e.reason], ['not_found', 'not_a_folder']);
        assert.match(e.message, /is a file of type image\/png, not a folder/);
        return true;
      });
    });

    test('a key the emulator does not accept is fatal (keyInvalid)', async () => {
      await assert.rejects(source({ apiKey: 'wrong-key' }).inspectRoot(ref(root)), (e: unknown) => {
        assert.ok(e instanceof SourceError);
        assert.deepEqual([e.kind, e.reason, e.details.status], ['fatal', 'keyInvalid', 400]);
        return true;
      });
    });
  });

  describe('listPage', () => {
    test('pages through a folder, an empty page carrying a cursor included, sorting images, folders and skips', async () => {
      const { pages, merged } = await listAll(source({ pageSize: 4 }), ref(root));
      assert.equal(pages.length, 5, '14 entries in pages of 4, plus the scripted empty page');
      const empty = pages[1];
      assert.ok(empty);
      assert.deepEqual([empty.files.length, empty.folders.length, empty.skipped.length], [0, 0, 0]);
      assert.notEqual(empty.nextCursor, null, 'the empty page still carries a cursor');
      assert.equal(pages.at(-1)?.nextCursor, null);

      const names = merged.files.map((f) => f.name).sort();
      assert.deepEqual(names, ['2024/05/01 party.png', 'Link to target.png', 'a.png', 'b.png', 'dup.png', 'dup.png', longName, 'фото – 写真 🌅.png'].sort());
      assert.deepEqual(
        merged.files.filter((f) => f.name === 'dup.png').map((f) => f.sourceFileId).sort(),
        [dup1.id, dup2.id].sort(),
        'duplicate names stay two files',
      );

      const a = merged.files.find((f) => f.name === 'a.png');
      assert.deepEqual(a, {
        sourceFileId: first.id,
        name: 'a.png',
        path: 'a.png',
        mimeType: 'image/png',
        size: 70_000,
        md5: model.md5(first),
        width: first.image?.width,
        height: first.image?.height,
      });

      assert.deepEqual(
        merged.skipped.map((s) => [s.sourceFileId, s.name, s.mimeType, s.reason]).sort(),
        [
          [doc.id, 'Trip notes', 'application/vnd.google-apps.document', DRIVE_SKIP_REASONS.googleWorkspaceFile],
          [sheet.id, 'Budget', 'application/vnd.google-apps.spreadsheet', DRIVE_SKIP_REASONS.googleWorkspaceFile],
          [text.id, 'readme.txt', 'text/plain', DRIVE_SKIP_REASONS.notAnImage],
          [dangling.id, 'Broken link.png', 'image/jpeg', DRIVE_SKIP_REASONS.danglingShortcut],
        ].sort(),
      );
      assert.deepEqual(
        merged.folders.sort((x, y) => x.path.localeCompare(y.path)),
        [
          { id: targetFolder.id, path: 'Link to folder', resourceKey: targetFolder.resourceKey },
          { id: sub.id, path: 'Sub' },
        ],
      );
    });

    test('a shortcut to a file becomes the target\'s SourceFile (its id and resource key) under the shortcut\'s name', async () => {
      const { merged } = await listAll(source(), ref(root));
      const viaShortcut = merged.files.find((f) => f.name === 'Link to target.png');
      assert.deepEqual(viaShortcut, {
        sourceFileId: target.id,
        name: 'Link to target.png',
        path: 'Link to target.png',
        mimeType: 'image/png',
        size: 4_000,
        md5: model.md5(target),
        width: target.image?.width,
        height: target.image?.height,
        resourceKey: target.resourceKey,
      });
      assert.notEqual(viaShortcut?.sourceFileId, fileShortcut.id);
      assert.equal(emulator.control.counters().files[target.id]?.['files.get'], 1, 'the target was looked up with its resource key');
      assert.equal(emulator.control.counters().files[folderShortcut.targetId]?.['files.get'], 1);
    });

    test('nested folders are listed with their paths', async () => {
      const subPage = await source().listPage(ref(sub, 'Sub'), null);
      assert.deepEqual(subPage.folders, [{ id: deeper.id, path: 'Sub/Deeper' }]);
      const deeperPage = await source().listPage(subPage.folders[0] as FolderRef, null);
      assert.deepEqual(deeperPage.files.map((f) => [f.sourceFileId, f.path]), [[deep.id, 'Sub/Deeper/deep.png']]);
    });

    test('a folder that needs a resource key lists empty without it, as Drive does, and fully with it', async () => {
      const without = await source().listPage({ id: keyed.id, path: '' }, null);
      assert.deepEqual(without, { files: [], folders: [], skipped: [], nextCursor: null });
      const withKey = await source().listPage(ref(keyed), null);
      assert.deepEqual(withKey.files.map((f) => [f.sourceFileId, f.resourceKey]), [[keyedImage.id, keyedImage.resourceKey]]);
    });

    test('a cursor Drive does not know is fatal with reason invalid_page_token, so the lister can start the folder over', async () => {
      await assert.rejects(source().listPage(ref(root), 'not-a-token'), (e: unknown) => {
        assert.ok(e instanceof SourceError);
        assert.deepEqual([e.kind, e.reason, e.details.status], ['fatal', 'invalid_page_token', 400]);
        return true;
      });
      assert.equal(emulator.control.counters().routes['files.list'], 1);
    });

    test('2,500 files come in pages of 1000, each with size and md5', async () => {
      const { pages, merged } = await listAll(source(), ref(many));
      assert.deepEqual(pages.map((p) => p.files.length), [1000, 1000, 500]);
      assert.equal(new Set(merged.files.map((f) => f.sourceFileId)).size, 2500);
      assert.ok(merged.files.every((f) => f.size === 2_000 && /^[0-9a-f]{32}$/.test(f.md5 ?? '')));
      assert.equal(emulator.control.counters().routes['files.list'], 3);
    });
  });

  describe('openFile', () => {
    test('downloads whole files whose md5 and size match the listing, 20 MB included', async () => {
      const listed = [...(await source().listPage(ref(big), null)).files, ...(await source().listPage(ref(root), null)).files.filter((f) => f.name === 'a.png')];
      assert.equal(listed.length, 2);
      for (const file of listed) {
        const opened = await source().openFile(file);
        assert.equal(opened.contentType, 'image/png');
        assert.equal(opened.size, file.size);
        const got = await md5Of(opened.stream);
        assert.deepEqual(got, { md5: file.md5, bytes: file.size });
      }
      assert.equal(listed[0]?.size, large.content.size);
    });

    test('a file that needs a resource key opens with it and is not_found without it', async () => {
      const file = (await source().listPage(ref(keyed), null)).files[0] as SourceFile;
      assert.equal((await md5Of((await source().openFile(file)).stream)).md5, model.md5(keyedImage));
      await assert.rejects(source().openFile({ ...file, resourceKey: undefined }), (e: unknown) => e instanceof SourceError && e.kind === 'not_found' && e.details.status === 404);
    });
  });

  describe('the edge-case folder, walked as the lister walks it', () => {
    test('gives exactly its images (each downloadable, md5 as listed) and its skips, subfolders and keyed ones included', async () => {
      const drive = source();
      assert.deepEqual(await drive.inspectRoot(ref(edgeCases.folder)), { name: 'Edge cases' });
      const files: SourceFile[] = [];
      const skipped: string[] = [];
      const queue: FolderRef[] = [ref(edgeCases.folder)];
      for (let folder = queue.shift(); folder; folder = queue.shift()) {
        const { merged } = await listAll(drive, folder);
        files.push(...merged.files);
        skipped.push(...merged.skipped.map((s) => s.sourceFileId));
        queue.push(...merged.folders);
      }
      assert.deepEqual(files.map((f) => f.sourceFileId).sort(), [...edgeCases.expected.imageIds].sort());
      assert.deepEqual(skipped.sort(), [...edgeCases.expected.skippedIds].sort());
      assert.ok(files.some((f) => f.path === 'Needs a resource key/keyed.png' && f.resourceKey));
      assert.ok(files.some((f) => f.path === 'Shortcut to a folder/inside linked folder.png'));
      for (const file of files) {
        const opened = await drive.openFile(file);
        assert.deepEqual(await md5Of(opened.stream), { md5: file.md5, bytes: file.size }, file.path);
      }
      assert.equal(files.find((f) => f.sourceFileId === edgeCases.expected.largeImageId)?.size, 20 * 1024 * 1024);
    });
  });

  describe('faults', () => {
    const aFile = async () => (await source().listPage(ref(root), null)).files.find((f) => f.name === 'a.png') as SourceFile;

    describe('a download ends the moment its signal aborts, with the signal\'s reason', () => {
      const timedOut = () => new SourceError('transient', 'download_timeout', 'the download took longer than 0.2 s');
      const isTimedOut = (e: unknown) => e instanceof SourceError && e.reason === 'download_timeout';
      const abortAfter = (ms: number) => {
        const controller = new AbortController();
        setTimeout(() => controller.abort(timedOut()), ms);
        return controller.signal;
      };

      test('while waiting for the answer (the emulator holds it 10 s)', async () => {
        const file = await aFile();
        emulator.control.addFaults({ route: 'files.media', fileId: file.sourceFileId, responses: [{ type: 'delay', ms: 10_000 }] });
        const started = Date.now();
        await assert.rejects(source().openFile(file, { signal: abortAfter(200) }), isTimedOut);
        assert.ok(Date.now() - started < 2_000, `ended after ${Date.now() - started} ms`);
      });

      test('during the backoff after a 503: no further request', async () => {
        const file = await aFile();
        emulator.control.addFaults({ route: 'files.media', fileId: file.sourceFileId, responses: [{ type: 'error', status: 503 }] });
        // A backoff that would never end by itself.
        const waiting = source({ retry: { sleep: () => new Promise(() => {}) } });
        await assert.rejects(waiting.openFile(file, { signal: abortAfter(200) }), isTimedOut);
        assert.equal(emulator.control.counters().files[file.sourceFileId]?.['files.media'], 1);
      });

      test('while the body streams', async () => {
        const file = (await source().listPage(ref(big), null)).files[0] as SourceFile;
        assert.equal(file.sourceFileId, large.id);
        const controller = new AbortController();
        const opened = await source().openFile(file, { signal: controller.signal });
        let bytes = 0;
        await assert.rejects(
          (async () => {
            for await (const chunk of opened.stream as AsyncIterable<Buffer>) {
              bytes += chunk.length;
              controller.abort(timedOut());
            }
          })(),
          isTimedOut,
        );
        assert.ok(bytes > 0 && bytes < (file.size ?? 0), `${bytes} of ${file.size} bytes read before the abort`);
      });
    });

    test('two 503s on files.list are retried until the page comes, with gaxios\' own retry off', async () => {
      emulator.control.addFaults({ route: 'files.list', fileId: root.id, responses: [{ type: 'error', status: 503 }, { type: 'error', status: 503 }] });
      const page = await source().listPage(ref(root), null);
      assert.ok(page.files.length > 0);
      const counters = emulator.control.counters();
      assert.equal(counters.files[root.id]?.['files.list'], 3);
      assert.equal(counters.faultsServed, 2);
      assert.equal(sleeps.length, 2, 'our policy waited twice');
      assert.ok(budget.acquired >= 3, 'a budget token before every attempt');
      assert.deepEqual(budget.throttles, [], '5xx does not throttle the budget');
    });

    test('one 503 with a single attempt allowed fails after exactly one request (nothing retries behind our back)', async () => {
      emulator.control.addFaults({ route: 'files.list', responses: [{ type: 'error', status: 503 }] });
      await assert.rejects(source({ retry: { maxAttempts: 1 } }).listPage(ref(root), null), (e: unknown) => {
        assert.ok(e instanceof SourceError);
        assert.deepEqual([e.kind, e.reason, e.details.status], ['transient', 'backendError', 503]);
        return true;
      });
      assert.equal(emulator.control.counters().routes['files.list'], 1);
    });

    test('a 429 with Retry-After: 1 throttles the shared budget for at least a second, then succeeds', async () => {
      emulator.control.addFaults({ route: 'files.get', fileId: root.id, responses: [{ type: 'error', status: 429, retryAfter: '1' }] });
      assert.deepEqual(await source().inspectRoot(ref(root)), { name: 'Holiday' });
      assert.equal(emulator.control.counters().files[root.id]?.['files.get'], 2);
      assert.equal(budget.throttles.length, 1);
      assert.ok((budget.throttles[0] ?? 0) >= 1000, `throttled ${budget.throttles[0]} ms`);
      assert.deepEqual(sleeps, budget.throttles);
    });

    test('a 403 userRateLimitExceeded on a download is retried and throttles', async () => {
      const file = await aFile();
      emulator.control.addFaults({ route: 'files.media', fileId: file.sourceFileId, responses: [{ type: 'error', reason: 'userRateLimitExceeded' }] });
      const opened = await source().openFile(file);
      assert.equal((await md5Of(opened.stream)).md5, file.md5);
      assert.equal(emulator.control.counters().files[file.sourceFileId]?.['files.media'], 2);
      assert.equal(budget.throttles.length, 1);
    });

    test('a connection dropped before the answer is retried', async () => {
      emulator.control.addFaults({ route: 'files.list', responses: [{ type: 'reset' }] });
      const page = await source().listPage(ref(sub, 'Sub'), null);
      assert.equal(page.folders.length, 1);
      assert.equal(emulator.control.counters().routes['files.list'], 2);
    });

    test('a permanent 403 cannotDownloadAbusiveFile fails that file at once as file_unavailable with its reason', async () => {
      const file = await aFile();
      emulator.control.addFaults({ route: 'files.media', fileId: file.sourceFileId, responses: [{ type: 'error', reason: 'cannotDownloadAbusiveFile' }], repeat: true });
      for (let i = 0; i < 2; i++) {
        await assert.rejects(source().openFile(file), (e: unknown) => {
          assert.ok(e instanceof SourceError);
          assert.deepEqual([e.kind, e.reason, e.details.status], ['file_unavailable', 'cannotDownloadAbusiveFile', 403]);
          assert.match(e.message, /malware or spam/);
          return true;
        });
      }
      assert.equal(emulator.control.counters().files[file.sourceFileId]?.['files.media'], 2, 'one request per attempt, no retries');
      assert.deepEqual(sleeps, []);
    });

    test('downloadQuotaExceeded on one file leaves the others downloadable', async () => {
      const files = (await source().listPage(ref(root), null)).files;
      const [blocked, fine] = files;
      assert.ok(blocked && fine);
      emulator.control.addFaults({ route: 'files.media', fileId: blocked.sourceFileId, responses: [{ type: 'error', reason: 'downloadQuotaExceeded' }], repeat: true });
      await assert.rejects(source().openFile(blocked), (e: unknown) => e instanceof SourceError && e.kind === 'file_unavailable' && e.reason === 'downloadQuotaExceeded');
      assert.equal((await md5Of((await source().openFile(fine)).stream)).md5, fine.md5);
    });

    test('retries end after maxAttempts with a transient error', async () => {
      emulator.control.addFaults({ route: 'files.list', responses: [{ type: 'error', status: 500, body: 'nullMessage' }], repeat: true });
      await assert.rejects(source({ retry: { maxAttempts: 3, baseDelayMs: 1, sleep: async () => {} } }).listPage(ref(root), null), (e: unknown) => {
        assert.ok(e instanceof SourceError);
        assert.equal(e.kind, 'transient');
        assert.match(e.message, /gave up after 3 attempts/);
        return true;
      });
      assert.equal(emulator.control.counters().routes['files.list'], 3);
    });

    test('a download cut mid-body fails the stream with an error classified as transient', async () => {
      const file = await aFile();
      emulator.control.addFaults({ route: 'files.media', fileId: file.sourceFileId, responses: [{ type: 'resetMidBody', afterBytes: 10_000 }] });
      const opened = await source().openFile(file);
      const failure = await md5Of(opened.stream).then(
        () => assert.fail('the stream should have failed'),
        (error: unknown) => error,
      );
      assert.equal(classifyDriveError(failure).kind, 'transient');
    });

    test('a shortcut whose target answers a permanent 403 is skipped with a reason; the rest of the page is listed', async () => {
      emulator.control.addFaults({ route: 'files.get', fileId: target.id, responses: [{ type: 'error', reason: 'insufficientFilePermissions' }], repeat: true });
      const { merged } = await listAll(source(), ref(root));
      assert.deepEqual(
        merged.skipped.filter((s) => s.sourceFileId === fileShortcut.id).map((s) => s.reason),
        [DRIVE_SKIP_REASONS.shortcutTargetUnavailable],
      );
      assert.equal(merged.files.length, 7);
    });

    test('a dangling-shortcut lookup that meets a 503 is retried, not mistaken for a dangling one', async () => {
      emulator.control.addFaults({ route: 'files.get', fileId: target.id, responses: [{ type: 'error', status: 503 }] });
      const { merged } = await listAll(source(), ref(root));
      assert.ok(merged.files.some((f) => f.sourceFileId === target.id));
      assert.equal(emulator.control.counters().files[target.id]?.['files.get'], 2);
    });
  });
});
