import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { image } from '../test-support/fake-api.js';
import GalleryGrid from './GalleryGrid.vue';

describe('the gallery grid', () => {
  beforeEach(() => {
    // happy-dom lays nothing out: the scroller is given a size, as a 800 × 600 window would.
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(800);
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600);
  });
  afterEach(() => vi.restoreAllMocks());

  it('draws only the rows on screen out of 100,000 images', async () => {
    const images = Array.from({ length: 100_000 }, (_, i) => image(i));
    const grid = mount(GalleryGrid, { props: { images, total: null, canLoadMore: false, loading: false } });
    await grid.vm.$nextTick();
    const cells = grid.findAll('li.cell');
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.length).toBeLessThanOrEqual(40);
    expect(grid.get('img').attributes('alt')).toBe('photo_0.png');
    expect(grid.get('ul').attributes('style')).toMatch(/height: \d{6,}(\.\d+)?px/);
  });

  it('asks for the next page when the end of what is loaded is near', async () => {
    const grid = mount(GalleryGrid, { props: { images: Array.from({ length: 20 }, (_, i) => image(i)), total: null, canLoadMore: true, loading: false } });
    await grid.vm.$nextTick();
    expect(grid.emitted('needMore')?.length).toBeGreaterThanOrEqual(1);
  });

  it("sizes the scrollbar for the API's total, draws placeholders past the loaded pages and asks for more there", async () => {
    const images = Array.from({ length: 200 }, (_, i) => image(i));
    const grid = mount(GalleryGrid, { props: { images, total: 100_000, canLoadMore: true, loading: false } });
    await grid.vm.$nextTick();
    const rowHeight = (800 - 3 * 8) / 4 + 8;
    expect(grid.get('ul').attributes('style')).toContain(`height: ${(100_000 / 4) * rowHeight - 8}px`);
    expect(grid.emitted('needMore')).toBeUndefined();

    const scroller = grid.get('.scroller').element as HTMLElement;
    scroller.scrollTop = 10_000 * rowHeight;
    scroller.dispatchEvent(new Event('scroll'));
    await grid.vm.$nextTick();
    expect(grid.findAll('button.thumb')).toHaveLength(0);
    expect(grid.findAll('.placeholder').length).toBeGreaterThan(0);
    expect(grid.emitted('needMore')?.length).toBe(1);
  });

  it('opens an image by click, and the arrow keys move between images', async () => {
    const grid = mount(GalleryGrid, { props: { images: Array.from({ length: 20 }, (_, i) => image(i)), total: null, canLoadMore: false, loading: false }, attachTo: document.body });
    await grid.vm.$nextTick();
    await grid.get('[data-index="2"]').trigger('click');
    expect(grid.emitted('open')).toEqual([[2]]);
    await grid.get('[data-index="2"]').trigger('keydown', { key: 'ArrowDown' });
    await grid.vm.$nextTick();
    expect(document.activeElement?.getAttribute('data-index')).toBe('6');
    grid.unmount();
  });

  const ROW = (800 - 3 * 8) / 4 + 8;
  const scrollTo = async (grid: ReturnType<typeof mount>, top: number) => {
    const scroller = grid.get('.scroller').element as HTMLElement;
    scroller.scrollTop = top;
    scroller.dispatchEvent(new Event('scroll'));
    await grid.vm.$nextTick();
  };

  it('hands the cells scrolled out to the images scrolled in, in order, with the thumbnail of their own image', async () => {
    vi.useFakeTimers();
    const images = Array.from({ length: 1000 }, (_, i) => image(i));
    const grid = mount(GalleryGrid, { props: { images, total: null, canLoadMore: false, loading: false } });
    await grid.vm.$nextTick();
    const before = grid.findAll('li.cell').map((cell) => cell.element);
    await scrollTo(grid, 100 * ROW);
    const after = grid.findAll('li.cell').map((cell) => cell.element);
    expect(before.every((cell) => after.includes(cell))).toBe(true);

    const indexes = grid.findAll('[data-index]').map((cell) => Number(cell.attributes('data-index')));
    expect(indexes[0]).toBeGreaterThanOrEqual(97 * 4);
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    expect(grid.findAll('[data-index]').map((cell) => cell.attributes('data-image-id'))).toEqual(indexes.map((i) => images[i]?.id));
    // Thumbnails wait for the scroll to rest, then come a row a side per frame, each cell with its own.
    expect(grid.findAll('img')).toHaveLength(0);
    vi.advanceTimersByTime(200);
    await grid.vm.$nextTick();
    expect(grid.findAll('img')).toHaveLength(4);
    for (let frame = 0; frame < 10; frame++) {
      vi.advanceTimersByTime(20);
      await grid.vm.$nextTick();
    }
    // The rows on screen (100 to 102) and one more on each side, 4 cells a row; the rest of the overscan waits.
    const withThumbnail = grid.findAll('[data-index]').filter((cell) => cell.find('img').exists());
    expect(withThumbnail.map((cell) => Number(cell.attributes('data-index')))).toEqual(Array.from({ length: 5 * 4 }, (_, i) => 99 * 4 + i));
    expect(withThumbnail.map((cell) => cell.get('img').attributes('alt'))).toEqual(withThumbnail.map((cell) => `photo_${cell.attributes('data-index')}.png`));
    vi.useRealTimers();
  });

  it('takes the focus off a cell that turned into another image, and back to the region', async () => {
    const grid = mount(GalleryGrid, { props: { images: Array.from({ length: 1000 }, (_, i) => image(i)), total: null, canLoadMore: false, loading: false }, attachTo: document.body });
    await grid.vm.$nextTick();
    (grid.get('[data-index="2"]').element as HTMLElement).focus();
    expect(document.activeElement?.getAttribute('data-index')).toBe('2');
    await scrollTo(grid, 100 * ROW);
    expect(document.activeElement).toBe(grid.get('.scroller').element);
    grid.unmount();
  });
});
