import type { Page } from 'playwright-core';
import { type PageSample, sample } from './page-probes.js';

export interface ScrollResult {
  seconds: number;
  wheelSteps: number;
  /** Samples when the grid's last drawn index first passed half the images, and at the end. */
  middle: PageSample;
  end: PageSample;
  lastIndexSeen: number;
  /** False when the timeout ended the scroll before the last image was drawn. */
  reachedEnd: boolean;
}

/** Where the grid stands: the highest index of a loaded image drawn (placeholders have none), and whether the scroller is at its bottom. */
const position = (page: Page) =>
  page.evaluate(() => {
    const scroller = document.querySelector<HTMLElement>('.scroller');
    const indexes = [...document.querySelectorAll('[data-index]')].map((el) => Number(el.getAttribute('data-index')));
    return { last: indexes.length ? Math.max(...indexes) : -1, atBottom: !!scroller && scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2 };
  });

/**
 * Scrolls the grid to its last image as a person flicking a wheel would: a wheel step every frame or so, waiting at
 * the bottom while the next pages load, until the image `total - 1` is drawn.
 */
export async function scrollToEnd(page: Page, total: number, options: { wheelPx: number; timeoutMs: number }): Promise<ScrollResult> {
  const box = await page.locator('.scroller').boundingBox();
  if (!box) throw new Error('no scroller on the page');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const started = performance.now();
  let middle: PageSample | undefined;
  let steps = 0;
  let reachedEnd = false;
  for (;;) {
    const at = await position(page);
    if (!middle && at.last >= total / 2) middle = await sample(page);
    reachedEnd = at.last >= total - 1 && at.atBottom;
    if (reachedEnd || performance.now() - started > options.timeoutMs) break;
    if (at.atBottom) await page.waitForTimeout(20);
    else {
      await page.mouse.wheel(0, options.wheelPx);
      steps++;
    }
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  }
  const seconds = (performance.now() - started) / 1000;
  const end = await sample(page);
  return { seconds, wheelSteps: steps, middle: middle ?? end, end, lastIndexSeen: (await position(page)).last, reachedEnd };
}
