import type { Page } from 'playwright-core';

/** What the page reports of itself at one moment of the scroll. */
export interface PageSample {
  domNodes: number;
  cells: number;
  jsHeapMb: number;
}

declare global {
  interface Window {
    __benchLongTasks: number[];
  }
}

/**
 * Installed before the app's scripts: marks `bench:first-grid-paint` in the frame after the first grid cell is in the
 * DOM (a requestAnimationFrame runs before that frame paints; the task after it, once it has), and keeps every long
 * task's duration. The page needs no hook of its own, so a build before and after a change is measured alike.
 */
export function installProbes(): void {
  window.__benchLongTasks = [];
  // Chromium keeps 250 resource timings by default; a scroll to the end makes hundreds of page requests.
  performance.setResourceTimingBufferSize(1_000_000);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__benchLongTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
  const watcher = new MutationObserver(() => {
    if (!document.querySelector('li.cell')) return;
    watcher.disconnect();
    requestAnimationFrame(() => setTimeout(() => performance.mark('bench:first-grid-paint')));
  });
  watcher.observe(document, { childList: true, subtree: true });
}

/** Milliseconds from navigation start to the first grid's paint. */
export async function firstGridPaintMs(page: Page): Promise<number> {
  const handle = await page.waitForFunction(() => performance.getEntriesByName('bench:first-grid-paint')[0]?.startTime, undefined, { timeout: 60_000 });
  return (await handle.jsonValue()) as number;
}

/** DOM and heap now; `gc` collects garbage first (a long task of its own: never while the trace records). */
export async function sample(page: Page, gc = false): Promise<PageSample> {
  const cdp = await page.context().newCDPSession(page);
  try {
    if (gc) await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    const counts = await page.evaluate(() => ({ domNodes: document.getElementsByTagName('*').length, cells: document.querySelectorAll('li.cell').length }));
    return { ...counts, jsHeapMb: usedSize / 2 ** 20 };
  } finally {
    await cdp.detach();
  }
}

export interface RequestTimings {
  /** The gallery's GET /images requests: when each started, and how long it took, in ms. */
  pages: { startTime: number; duration: number }[];
  thumbnails: number;
}

export const requestTimings = (page: Page): Promise<RequestTimings> =>
  page.evaluate(() => {
    const entries = performance.getEntriesByType('resource');
    return {
      pages: entries.filter((e) => e.name.includes('/api/images?')).map((e) => ({ startTime: e.startTime, duration: e.duration })),
      thumbnails: entries.filter((e) => e.name.endsWith('/thumbnail')).length,
    };
  });

/** One request of the first paint's critical path: when it was asked and when its answer was in, in ms after navigation. */
export interface PathStep {
  what: string;
  askedAt: number;
  doneAt: number;
}

/**
 * The requests the first grid waits for, in the order they were asked: the page's scripts, `/auth/status`, the first
 * GET /images; the first grid paint can come no earlier than the last of them.
 */
export const criticalPath = (page: Page): Promise<PathStep[]> =>
  page.evaluate(() => {
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    const resources = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => /\/assets\/.+\.js$|\/api\/auth\/status$|\/api\/images\?/.test(e.name));
    const firstImages = resources.findIndex((e) => e.name.includes('/api/images?'));
    const steps = [...(navigation ? [navigation] : []), ...resources.filter((e, i) => !e.name.includes('/api/images?') || i === firstImages)];
    return steps.map((e) => ({ what: new URL(e.name).pathname, askedAt: e.startTime, doneAt: e.responseEnd }));
  });

export const longTasks = (page: Page): Promise<number[]> => page.evaluate(() => window.__benchLongTasks);
