import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { FolderRef, SourceFile } from '@importer/contracts';
import { DropboxModel, type RunningDropboxEmulator, startDropboxEmulator } from '@importer/emulators';
import {
  contentHash,
  DROPBOX_SKIP_REASONS,
  dropboxFolderRef,
  DropboxSource,
  type DropboxSourceOptions,
  type ListPage,
  parseDropboxFolderLink,
  type RequestBudget,
  SourceError,
} from '@importer/providers';

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

const model = new DropboxModel('provider-integration');
const { folder: root, link } = model.sharedFolder('Trip');
const big = root.image('big.png', 5 * 1024 * 1024);
for (let i = 0; i < 5; i++) root.image(`p${i}.png`);
root.file('notes.txt', Buffer.from('not an image'));
root.file('doc.paper', Buffer.from('paper'), { isDownloadable: false });
const sub = root.folder('Day 1');
const deep = sub.folder('Évening – 夜');
deep.image('night.jpg', 3000);
const slept: number[] = [];

describe('DropboxSource against the Dropbox emulator', () => {
  let emulator: RunningDropboxEmulator;
  let budget: ReturnType<typeof recordingBudget>;
  const source = (overrides: Partial<DropboxSourceOptions> = {}) =>
    new DropboxSource({
      auth: { appKey: 'key', appSecret: 'secret' },
      apiUrl: emulator.apiUrl,
      contentUrl: emulator.contentUrl,
      budget,
      pageSize: 3,
      retry: { sleep: async (ms) => void slept.push(ms), random: () => 0 },
      ...overrides,
    });
  const rootRef = (): FolderRef => {
    const parsed = parseDropboxFolderLink(link.url);
    return dropboxFolderRef(parsed.url, parsed.startPath);
  };
  const walk = async (dropbox: DropboxSource) => {
    const files: SourceFile[] = [];
    const skipped: ListPage['skipped'] = [];
    const queue: FolderRef[] = [rootRef()];
    let pages = 0;
    for (let folder = queue.shift(); folder; folder = queue.shift()) {
      let cursor: string | null = null;
      do {
        const page: ListPage = await dropbox.listPage(folder, cursor);
        pages += 1;
        files.push(...page.files);
        skipped.push(...page.skipped);
        queue.push(...page.folders);
        cursor = page.nextCursor;
      } while (cursor);
    }
    return { files, skipped, pages };
  };
  const read = async (opened: { stream: NodeJS.ReadableStream }) => {
    const chunks: Buffer[] = [];
    for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };

  before(async () => {
    emulator = await startDropboxEmulator({ model, apps: [{ key: 'key', secret: 'secret' }], accessTokens: ['token'] });
  });
  after(async () => emulator?.close());
  beforeEach(() => {
    emulator.control.reset();
    budget = recordingBudget();
    slept.length = 0;
  });

  test('inspectRoot names the shared folder; a link with another rlkey is refused, an unknown one is not_found', async () => {
    assert.deepEqual(await source().inspectRoot(rootRef()), { name: 'Trip' });
    const wrongKey = dropboxFolderRef(link.url.replace(/rlkey=\w+/, 'rlkey=nope'), '');
    await assert.rejects(source().inspectRoot(wrongKey), (e: unknown) => e instanceof SourceError && e.kind === 'file_unavailable' && e.reason === 'shared_link_access_denied');
    const unknown = dropboxFolderRef(link.url.replace(/\/fo\/\w+/, '/fo/unknownlink000000000'), '');
    await assert.rejects(source().inspectRoot(unknown), (e: unknown) => e instanceof SourceError && e.kind === 'not_found');
  });

  test('walks subfolders by path, page by page, and skips non-images', async () => {
    const { files, skipped, pages } = await walk(source());
    assert.deepEqual(files.map((f) => f.path).sort(), ['Day 1/Évening – 夜/night.jpg', 'big.png', 'p0.png', 'p1.png', 'p2.png', 'p3.png', 'p4.png']);
    assert.ok(pages >= 5, `several pages (${pages})`);
    assert.deepEqual(skipped.map((s) => [s.name, s.reason]).sort(), [['doc.paper', DROPBOX_SKIP_REASONS.notDownloadable], ['notes.txt', DROPBOX_SKIP_REASONS.notAnImage]]);
    const bigFile = files.find((f) => f.name === 'big.png');
    assert.equal(bigFile?.sourceFileId, big.id);
    assert.equal(bigFile?.contentHash, big.contentHash);
    assert.equal(bigFile?.sharedLink, parseDropboxFolderLink(link.url).url, 'the shared link travels with the file');
    assert.equal(bigFile?.resourceKey, undefined, 'a Dropbox file has no Drive resource key');
    assert.equal(bigFile?.locator, `/${bigFile?.path}`, 'it is opened by its path under the link');
  });

  test('downloads stream the bytes, checked against content_hash, with a token too', async () => {
    const { files } = await walk(source({ auth: { accessToken: 'token' } }));
    for (const file of files) {
      const bytes = await read(await source({ auth: { accessToken: 'token' } }).openFile(file));
      assert.equal(contentHash(bytes), file.contentHash, file.path);
    }
  });

  test('a 429 is waited out for its Retry-After and throttles the shared budget; 5xx and resets are retried', async () => {
    emulator.control.addFaults(
      { route: 'list_folder', responses: [{ type: 'rateLimit', retryAfter: 2 }, { type: 'status', status: 503 }] },
      { route: 'list_folder/continue', responses: [{ type: 'rateLimit', retryAfter: 1, body: 'text' }, { type: 'reset' }] },
    );
    const { files } = await walk(source());
    assert.equal(files.length, 7);
    assert.equal(emulator.control.counters().faultsServed, 4);
    assert.deepEqual(budget.throttles, [2000, 1000]);
    assert.ok(slept.includes(2000) && slept.includes(1000));
  });

  test('a corrupted or cut download fails the stream; a 409 on a file is file_unavailable', async () => {
    const [file] = (await source().listPage(rootRef(), null)).files.filter((f) => f.name.startsWith('p'));
    assert.ok(file);
    emulator.control.addFaults({ route: 'get_shared_link_file', responses: [{ type: 'corrupt' }, { type: 'resetMidBody' }] });
    await assert.rejects(read(await source().openFile(file)), (e: unknown) => e instanceof SourceError && e.reason === 'checksum_mismatch' && e.retryable);
    await assert.rejects(read(await source().openFile(file)));
    emulator.control.addFaults({ route: 'get_shared_link_file', responses: [{ type: 'conflict', error: { '.tag': 'shared_link_access_denied' } }] });
    await assert.rejects(source().openFile(file), (e: unknown) => e instanceof SourceError && e.kind === 'file_unavailable' && /does not allow access/.test(e.message));
    const gone = { ...file, locator: '/vanished.png' };
    await assert.rejects(source().openFile(gone), (e: unknown) => e instanceof SourceError && e.kind === 'not_found');
    const shownElsewhere = { ...file, path: 'Shown/elsewhere.png' };
    assert.ok((await read(await source().openFile(shownElsewhere))).length > 0, 'the display path does not decide what is downloaded');
  });

  test('a download ends the moment its signal aborts, with its reason: during a Retry-After wait, and while the body streams', async () => {
    const bigFile = (await walk(source())).files.find((f) => f.name === 'big.png');
    assert.ok(bigFile);
    const stalled = () => new SourceError('transient', 'download_stalled', 'no data for 0.2 s');
    const isStalled = (e: unknown) => e instanceof SourceError && e.reason === 'download_stalled';

    emulator.control.addFaults({ route: 'get_shared_link_file', responses: [{ type: 'rateLimit', retryAfter: 20 }] });
    const waiting = source({ retry: { sleep: () => new Promise(() => {}) } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(stalled()), 200);
    await assert.rejects(waiting.openFile(bigFile, { signal: controller.signal }), isStalled);
    assert.equal(emulator.control.counters().faultsServed, 1);

    const reading = new AbortController();
    const opened = await source().openFile(bigFile, { signal: reading.signal });
    let bytes = 0;
    await assert.rejects(
      (async () => {
        for await (const chunk of opened.stream as AsyncIterable<Buffer>) {
          bytes += chunk.length;
          reading.abort(stalled());
        }
      })(),
      isStalled,
    );
    assert.ok(bytes > 0 && bytes < big.content.length, `${bytes} bytes read before the abort`);
  });

  test('bad credentials are fatal', async () => {
    await assert.rejects(source({ auth: { accessToken: 'wrong' } }).listPage(rootRef(), null), (e: unknown) => e instanceof SourceError && e.kind === 'fatal' && e.reason === 'invalid_access_token');
    await assert.rejects(source({ auth: { appKey: 'key', appSecret: 'bad' } }).inspectRoot(rootRef()), (e: unknown) => e instanceof SourceError && e.kind === 'fatal');
  });
});
