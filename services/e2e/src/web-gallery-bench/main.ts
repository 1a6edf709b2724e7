import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createTestDatabase } from '@importer/db/testing';
import { localPlatform, type RunningSystem, startSystem } from '@importer/devkit';
import { E2E_ADMIN, E2E_ADMIN_ENV } from '../api-client.js';
import { launchChromium } from '../browser.js';
import { criticalPath, firstGridPaintMs, installProbes, longTasks, type PageSample, requestTimings, sample } from './page-probes.js';
import { scrollToEnd } from './scroll-to-end.js';
import { seedUserGallery } from './seed-gallery.js';
import { mainThreadTasks, type TraceEvent } from './trace-tasks.js';

const WEB = 'http://127.0.0.1:8080';

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '100000' },
    'wheel-px': { type: 'string', default: '2400' },
    'timeout-s': { type: 'string', default: '600' },
    /** Where to keep the scroll's trace, for chrome://tracing or Perfetto. */
    'trace-file': { type: 'string' },
    /** A build of the SPA to serve instead of web/dist: a build from before a change, measured in the same sitting as one after. */
    'web-dist': { type: 'string' },
    /** Where to keep the trace of one more navigation, after the measured one (tracing slows the page it records). */
    'load-trace-file': { type: 'string' },
  },
});
const images = Number(values.images);
const wheelPx = Number(values['wheel-px']);

const line = (label: string, value: string) => console.log(`${label.padEnd(44)} ${value}`);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const describe = (s: PageSample) => `${s.domNodes} DOM nodes, ${s.cells} cells, ${s.jsHeapMb.toFixed(1)} MB JS heap`;

/**
 * The web gallery with `images` images in Chromium: the first grid's paint after navigation, then a scroll to the last
 * image under a performance trace (its longest main-thread task and how many were over 50 ms), and the DOM and heap at
 * the start, middle and end.
 */
async function main(): Promise<void> {
  const db = await createTestDatabase('importer_web_gallery_bench');
  let system: RunningSystem | undefined;
  const browser = await launchChromium();
  try {
    system = await startSystem({ env: { ...E2E_ADMIN_ENV, DATABASE_URL: db.url, S3_ENDPOINT: localPlatform.minio.endpoint, LOG_LEVEL: 'warn', ...(values['web-dist'] ? { WEB_DIST_DIR: resolve(values['web-dist']) } : {}) } });
    const seeded = await seedUserGallery(db.dataSource, E2E_ADMIN.email, images);
    line('load average (1, 5, 15 min) at the start', load());
    line('SPA served from', values['web-dist'] ? resolve(values['web-dist']) : 'web/dist');
    line('seeded', `${seeded.images} images (one WebP preview in MinIO for all) in ${seeded.seconds.toFixed(1)} s`);

    const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
    const signIn = await page.request.post(`${WEB}/api/auth/sign-in`, { data: E2E_ADMIN });
    if (!signIn.ok()) throw new Error(`sign-in: ${signIn.status()} ${await signIn.text()}`);
    await page.addInitScript(installProbes);
    // Once, so the bundle, the session and the database's pages are warm, as for a person who opens the gallery again.
    await page.goto(`${WEB}/gallery`);
    await firstGridPaintMs(page);
    await page.goto(`${WEB}/gallery`);
    const firstPaint = await firstGridPaintMs(page);
    line('first grid paint after navigation', `${firstPaint.toFixed(0)} ms`);
    const firstPage = (await requestTimings(page)).pages[0];
    if (firstPage) line('  its first GET /images', `asked at ${firstPage.startTime.toFixed(0)} ms, answered in ${firstPage.duration.toFixed(0)} ms`);
    for (const step of await criticalPath(page)) line(`  ${step.what}`, `asked at ${step.askedAt.toFixed(0)} ms, in at ${step.doneAt.toFixed(0)} ms`);
    if (values['load-trace-file']) {
      await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'v8.execute', 'blink.user_timing'] });
      await page.goto(`${WEB}/gallery`);
      line('  traced navigation (not the figure above)', `${(await firstGridPaintMs(page)).toFixed(0)} ms`);
      await writeFile(values['load-trace-file'], await browser.stopTracing());
    }
    await page.getByText(`${images.toLocaleString('en-US')} images`, { exact: true }).waitFor({ timeout: 60_000 });
    const start = await sample(page, true);
    line('start', describe(start));

    const tasksBefore = (await longTasks(page)).length;
    await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline'] });
    const scrolled = await scrollToEnd(page, images, { wheelPx, timeoutMs: Number(values['timeout-s']) * 1000 });
    const traceBytes = await browser.stopTracing();
    if (values['trace-file']) await writeFile(values['trace-file'], traceBytes);
    const trace = JSON.parse(traceBytes.toString('utf8')) as { traceEvents: TraceEvent[] };
    const tasks = mainThreadTasks(trace.traceEvents);
    const observed = (await longTasks(page)).slice(tasksBefore);
    const requests = await requestTimings(page);
    const durations = requests.pages.map((p) => p.duration).sort((a, b) => a - b);
    const median = durations[Math.floor(durations.length / 2)] ?? 0;
    line(
      scrolled.reachedEnd ? 'scroll to the end' : 'scroll STOPPED BY THE TIMEOUT',
      `${scrolled.seconds.toFixed(1)} s, ${scrolled.wheelSteps} wheel steps of ${wheelPx} px, last image drawn #${scrolled.lastIndexSeen} of ${images}`,
    );
    line('  GET /images pages', `${durations.length}, median ${median.toFixed(0)} ms, longest ${(durations.at(-1) ?? 0).toFixed(0)} ms; ${requests.thumbnails} thumbnails asked`);
    line('main-thread tasks while scrolling (trace)', `${tasks.tasks}, longest ${tasks.longestMs.toFixed(1)} ms, ${tasks.over50ms} over 50 ms`);
    line('  by the thread\'s CPU time', `longest ${tasks.longestCpuMs.toFixed(1)} ms, ${tasks.over50msCpu} over 50 ms`);
    line('  inside the tasks over 50 ms', tasks.inLongTasks.map((e) => `${e.name} ${e.ms.toFixed(0)} ms`).join(', '));
    line('long tasks while scrolling (PerformanceObserver)', `${observed.length}${observed.length ? `, longest ${Math.max(...observed).toFixed(0)} ms` : ''}`);
    line('middle', describe(scrolled.middle));
    line('end', describe(scrolled.end));
    line('end, after a garbage collection', describe(await sample(page, true)));
    line('load average (1, 5, 15 min) at the end', load());
  } finally {
    await browser.close();
    await system?.stop();
    await db.drop();
  }
}

await main();
