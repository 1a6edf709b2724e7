import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type Image, ImageListV1, JobListV1 } from '@importer/contracts';
import { createTestDatabase, type TestDatabase } from '@importer/db/testing';
import { localPlatform, type RunningSystem, startSystem } from '@importer/devkit';
import { DriveModel, DropboxModel, type RunningDriveEmulator, type RunningDropboxEmulator, startDriveEmulator, startDropboxEmulator } from '@importer/emulators';
import { ApiClient, E2E_ADMIN, E2E_RUN_ENV } from '../../src/api-client.js';
import { launchChromium, saveScreenshot } from '../../src/browser.js';

const WEB = 'http://127.0.0.1:8080';
const PHOTOS = 240;
const TERMINAL = ['completed', 'completed_with_errors', 'failed', 'cancelled'];

describe('the web app in a real browser, against the whole system', () => {
  let api = new ApiClient('http://127.0.0.1:3000');
  const model = new DriveModel(`web-${randomUUID()}`);
  const folder = model.folder('Summer trip');
  folder.generatedImages(PHOTOS, { namePrefix: 'photo_', size: 20 * 1024 });
  const broken = folder.image('broken.png', { size: 30_000 });
  const privateFolder = model.folder('Private album', { private: true });
  const dropboxModel = new DropboxModel(`web-${randomUUID()}`);
  const { folder: dropboxRoot, link: dropboxLink } = dropboxModel.sharedFolder('Wedding');
  for (let i = 0; i < 5; i++) dropboxRoot.image(`ceremony-${i}.png`, 4_000 + i);
  const party = dropboxRoot.folder('Party');
  for (let i = 0; i < 3; i++) party.image(`dance-${i}.png`, 5_000 + i);
  let db: TestDatabase;
  let drive: RunningDriveEmulator;
  let dropbox: RunningDropboxEmulator;
  let system: RunningSystem;
  let browser: Browser;
  let page: Page;
  let jobId = '';
  /** A plain image server for the URL tab, by path. */
  const served = new Map<string, Buffer>();
  let imageServer: Server;
  let imagePort = 0;

  const jobCount = async () => JobListV1.parse((await api.get('/import/jobs?limit=100')).body).jobs.length;
  const allImages = async (query: string): Promise<Image[]> => {
    const images: Image[] = [];
    let cursor: string | null = null;
    do {
      const list = ImageListV1.parse((await api.get(`/images?limit=200&${query}${cursor ? `&cursor=${cursor}` : ''}`)).body);
      images.push(...list.images);
      cursor = list.next_cursor;
    } while (cursor);
    return images;
  };

  before(async () => {
    db = await createTestDatabase('importer_web_e2e');
    drive = await startDriveEmulator({ model, apiKeys: ['web-key'], latencyMs: 30 });
    drive.control.addFaults({ route: 'files.media', fileId: broken.id, responses: [{ type: 'error', reason: 'cannotDownloadAbusiveFile' }], repeat: true });
    dropbox = await startDropboxEmulator({ model: dropboxModel, apps: [{ key: 'web-app', secret: 'web-secret' }] });
    system = await startSystem({
      // No ADMIN_EMAIL: the first test makes the administrator on the first-run page, as a person would.
      env: {
        ...E2E_RUN_ENV,
        DATABASE_URL: db.url,
        GOOGLE_API_KEY: 'web-key',
        GOOGLE_API_ROOT_URL: drive.rootUrl,
        DROPBOX_APP_KEY: 'web-app',
        DROPBOX_APP_SECRET: 'web-secret',
        DROPBOX_API_URL: dropbox.apiUrl,
        DROPBOX_CONTENT_URL: dropbox.contentUrl,
        // The URL tab imports images this system already serves, by a host name the SSRF guard is told to allow.
        URL_IMPORT_ALLOWED_HOSTS: 'localhost',
        S3_ENDPOINT: localPlatform.minio.endpoint,
      },
    });
    imageServer = createServer((req, res) => {
      const bytes = served.get(req.url ?? '');
      if (!bytes) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': bytes.length }).end(bytes);
    }).listen(0, '127.0.0.1');
    await once(imageServer, 'listening');
    imagePort = (imageServer.address() as AddressInfo).port;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
  });

  after(async () => {
    await browser?.close();
    imageServer?.close();
    await system?.stop();
    await drive?.close();
    await dropbox?.close();
    await db?.drop();
  });

  test('first run: every page opens on "Create the administrator account", nothing else answers, and creating it signs in', async () => {
    await page.goto(`${WEB}/gallery`);
    await page.getByRole('heading', { name: 'Create the administrator account' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/setup');
    assert.equal((await api.get('/import/jobs')).status, 401, 'nothing but setup answers yet');
    await saveScreenshot(page, 'first-run');
    await page.getByTestId('credentials-email').fill(E2E_ADMIN.email);
    await page.getByTestId('credentials-password').fill(E2E_ADMIN.password);
    await page.getByTestId('credentials-submit').click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByTestId('account-menu').waitFor();
    assert.match(await page.getByTestId('account-menu').innerText(), /admin@e2e\.example/);
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'importer_session');
    assert.ok(session, 'signed in with the session cookie');
    assert.deepEqual([session.httpOnly, session.sameSite], [true, 'Lax']);
    api = await ApiClient.signedIn(api.baseUrl);
  });

  test('a link that is not a folder is refused beside the field, before and by the API, and starts nothing', async () => {
    const jobsBefore = await jobCount();
    await page.goto(`${WEB}/`);
    const field = page.getByLabel('Google Drive folder link');
    const message = page.locator('#folder-link-message');

    await field.fill('https://example.com/photos/summer');
    await field.blur();
    assert.match(await message.innerText(), /This link goes to example\.com, not to Google Drive\./);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');

    await field.fill('https://drive.google.com/file/d/1AbCdEfGhIjKlMnOp/view?usp=sharing');
    await page.getByRole('button', { name: 'Import' }).click();
    assert.match(await message.innerText(), /This is a link to a single file, not to a folder\./);

    // Well formed, so only the API can tell: the folder is not shared.
    const refusal = await api.post('/import/google-drive', { folder_url: privateFolder.link });
    assert.equal(refusal.status, 404);
    const apiMessage = (refusal.body.error as { message: string }).message;
    await field.fill(privateFolder.link);
    assert.match(await message.innerText(), /Looks like a Google Drive folder link/);
    await page.getByRole('button', { name: 'Import' }).click();
    await page.waitForFunction((text) => document.querySelector('#folder-link-message')?.textContent?.includes(text), apiMessage);
    assert.equal((await message.innerText()).trim(), apiMessage);
    assert.equal(new URL(page.url()).pathname, '/', 'the page stays on the form');
    assert.equal(await jobCount(), jobsBefore + 0, 'no job was created');
    await saveScreenshot(page, 'import-rejected');
  });

  test('pasting a Drive link starts one job, and its progress moves to completion without a reload', async () => {
    const jobsBefore = await jobCount();
    await page.goto(`${WEB}/`);
    await page.getByLabel('Google Drive folder link').fill(folder.link);
    await saveScreenshot(page, 'import');
    // Two quick clicks: the button is disabled while the first request runs.
    await page.getByRole('button', { name: 'Import' }).dblclick();
    await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/);
    jobId = new URL(page.url()).pathname.split('/').pop() ?? '';
    const card = page.locator(`[data-job-id="${jobId}"]`);
    await card.waitFor();

    const seen = new Set<number>();
    const deadline = Date.now() + 180_000;
    let status = '';
    while (Date.now() < deadline) {
      status = (await card.getAttribute('data-status')) ?? '';
      seen.add(Number((await card.locator('[data-stat="processed"]').innerText()).replace(/,/g, '')));
      if (TERMINAL.includes(status)) break;
      await sleep(150);
    }
    const job = await api.job(jobId);
    assert.equal(await jobCount(), jobsBefore + 1, 'a double click started one job');
    assert.equal(status, 'completed_with_errors');
    assert.equal(job.status, 'completed_with_errors');
    assert.equal(job.processed_files, PHOTOS);
    const between = [...seen].filter((n) => n > 0 && n < PHOTOS);
    assert.ok(between.length >= 1, `the page showed progress between 0 and ${PHOTOS} (saw ${[...seen].sort((a, b) => a - b).join(', ')})`);

    await card.locator('[data-stat="processed"]', { hasText: String(PHOTOS) }).waitFor();
    assert.equal(await card.locator('[data-stat="failed"]').innerText(), '1');
    assert.equal(await card.locator('[data-stat="total"]').innerText(), `${PHOTOS + 1} / ${PHOTOS + 1}`);
    // The failed file is listed with its reason, opened by default on the job's own page.
    const errors = card.getByRole('region', { name: /Failed files of/ });
    await errors.getByText('broken.png').waitFor();
    assert.match(await errors.innerText(), /cannotDownloadAbusiveFile/);
    await saveScreenshot(page, 'jobs');
  });

  test('the gallery shows every image of the job, page by page, drawing only what is on screen', async () => {
    const expected = await allImages(`job_id=${jobId}`);
    assert.equal(expected.length, PHOTOS);
    await page.goto(`${WEB}/gallery?job=${jobId}`);
    await page.getByText(`${PHOTOS} images`, { exact: true }).waitFor();
    const firstThumb = page.locator('[data-index="0"] img');
    await page.waitForFunction(() => (document.querySelector<HTMLImageElement>('[data-index="0"] img')?.naturalWidth ?? 0) > 0);
    assert.equal(await firstThumb.getAttribute('alt'), expected[0]?.name);

    // Every thumbnail on screen arrives through the gateway and decodes.
    await page.waitForFunction(() => {
      const scroller = document.querySelector('.scroller')?.getBoundingClientRect();
      const onScreen = [...document.querySelectorAll<HTMLImageElement>('li.cell img')].filter((img) => scroller && img.getBoundingClientRect().top < scroller.bottom);
      return onScreen.length > 0 && onScreen.every((img) => img.complete && img.naturalWidth > 0);
    });
    const cellsOnScreen = await page.locator('li.cell').count();
    assert.ok(cellsOnScreen > 0 && cellsOnScreen < 150, `only the visible rows are in the DOM (${cellsOnScreen} cells for ${PHOTOS} images)`);
    await saveScreenshot(page, 'gallery');

    const seen = new Set<string>();
    for (let round = 0; round < 60 && seen.size < PHOTOS; round++) {
      for (const id of await page.locator('[data-image-id]').evaluateAll((els) => els.map((el) => el.getAttribute('data-image-id') ?? ''))) seen.add(id);
      await page.locator('.scroller').evaluate((el) => el.scrollBy(0, el.clientHeight));
      await sleep(100);
    }
    const missing = expected.flatMap((image, position) => (seen.has(image.id) ? [] : [position]));
    assert.deepEqual(missing, [], `infinite scroll reached every image (saw ${seen.size}; missing positions ${missing.join(', ')})`);
    assert.equal(seen.size, PHOTOS);
  });

  test('the gallery filters by source and by job', async () => {
    await page.goto(`${WEB}/gallery?job=${jobId}`);
    await page.getByText(`${PHOTOS} images`, { exact: true }).waitFor();
    await page.getByLabel('Source').selectOption('dropbox');
    await page.getByText('No images match these filters').waitFor();
    assert.match(page.url(), /source=dropbox/);
    await page.getByLabel('Source').selectOption('google_drive');
    await page.getByText(`${PHOTOS} images`, { exact: true }).waitFor();
    await page.getByLabel('Import job').selectOption('');
    const everything = ImageListV1.parse((await api.get('/images?limit=1')).body).total;
    await page.getByText(`${everything} images`, { exact: true }).waitFor();
    assert.doesNotMatch(page.url(), /job=/);
  });

  test('the viewer shows the full image and its metadata, and the keyboard moves through the gallery', async () => {
    const [first, second] = await allImages(`job_id=${jobId}`);
    assert.ok(first && second);
    await page.goto(`${WEB}/gallery?job=${jobId}`);
    await page.locator('[data-index="0"]').focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-index')), '1', 'arrow keys move between thumbnails');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');

    const viewer = page.getByRole('dialog');
    await viewer.waitFor();
    assert.equal(await viewer.getByRole('heading').innerText(), first.name);
    assert.equal(await viewer.locator('[data-fact="Storage path"]').innerText(), first.storage_path);
    assert.equal(await viewer.locator('[data-fact="Source id"]').innerText(), first.source_file_id);
    assert.equal(await viewer.locator('[data-fact="Dimensions"]').innerText(), `${first.width} × ${first.height} px`);
    await page.waitForFunction(() => (document.querySelector<HTMLImageElement>('dialog img')?.naturalWidth ?? 0) > 0);
    assert.equal(await viewer.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth), first.width);
    await saveScreenshot(page, 'viewer');

    await page.keyboard.press('ArrowRight');
    await viewer.getByRole('heading', { name: second.name }).waitFor();
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'hidden' });
  });

  const finishedJob = async (): Promise<string> => {
    await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/);
    const id = new URL(page.url()).pathname.split('/').pop() ?? '';
    await page.locator(`[data-job-id="${id}"][data-status="completed"]`).waitFor({ timeout: 120_000 });
    return id;
  };

  test('the Dropbox and Image URL tabs start their imports, and the gallery filters each source', async () => {
    await page.goto(`${WEB}/`);
    await page.getByRole('tab', { name: 'Dropbox' }).click();
    await page.getByLabel('Dropbox folder link').fill(dropboxLink.url);
    await page.getByRole('button', { name: 'Import' }).click();
    const dropboxJob = await finishedJob();
    assert.equal(await page.locator(`[data-job-id="${dropboxJob}"] [data-stat="processed"]`).innerText(), '8');

    // Image bytes need a signed-in owner now, so the URL tab imports copies of three Drive images from a plain server.
    const driveImages = (await allImages(`job_id=${jobId}`)).slice(0, 3);
    for (const image of driveImages) served.set(`/${image.id}.png`, Buffer.from(await (await api.fetch(image.url)).arrayBuffer()));
    const urls = driveImages.map((image) => `http://localhost:${imagePort}/${image.id}.png`);
    await page.goto(`${WEB}/`);
    await page.getByRole('tab', { name: 'Image URLs' }).click();
    await page.getByLabel('Image URLs, one per line').fill(urls.join('\n'));
    assert.equal(await page.locator('#url-list-message').innerText(), '✓ 3 URLs to import.');
    await page.getByRole('button', { name: 'Import' }).click();
    const urlJob = await finishedJob();
    assert.equal(await page.locator(`[data-job-id="${urlJob}"] [data-stat="processed"]`).innerText(), '3');

    for (const [source, count] of [['dropbox', 8], ['url', 3]] as const) {
      await page.goto(`${WEB}/gallery?source=${source}`);
      const total = ImageListV1.parse((await api.get(`/images?limit=1&source=${source}`)).body).total;
      assert.ok(total >= count, `${source}: ${total} images`);
      await page.getByText(`${total} ${total === 1 ? 'image' : 'images'}`, { exact: true }).waitFor();
    }
    const urlImages = await allImages(`job_id=${urlJob}`);
    assert.deepEqual(urlImages.map((i) => i.size).sort(), driveImages.map((i) => i.size).sort(), 'the URL import copied the same bytes');
  });

  test('on a phone, in dark mode, the jobs page fits the screen', async () => {
    // A browser of its own, signed in as the same administrator (the desktop page's cookies).
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark', isMobile: true, hasTouch: true, storageState: await page.context().storageState() });
    const phone = await context.newPage();
    try {
      await phone.goto(`${WEB}/jobs/${jobId}`);
      await phone.locator(`[data-job-id="${jobId}"][data-status="completed_with_errors"]`).waitFor();
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px too wide)`);
      const background = await phone.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(background, 'rgb(14, 17, 22)', 'the dark palette applies');
      await saveScreenshot(phone, 'jobs-phone-dark');
    } finally {
      await context.close();
    }
  });
});
