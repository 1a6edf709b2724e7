import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import { useVirtualGrid, type VirtualGrid } from './use-virtual-grid.js';

/** The grid in a scroller of this size, as a component would hold it. */
function gridIn(width: number, height: number, items: number): { grid: VirtualGrid; scroller: HTMLElement } {
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(width);
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(height);
  let grid: VirtualGrid | undefined;
  const wrapper = mount(
    defineComponent({
      setup() {
        const scroller = ref<HTMLElement | null>(null);
        grid = useVirtualGrid(scroller, ref(items), { minCellWidth: 160, gap: 8 });
        return () => h('div', { ref: scroller });
      },
    }),
  );
  if (!grid) throw new Error('the grid was not set up');
  return { grid, scroller: wrapper.element as HTMLElement };
}

describe('the virtual grid', () => {
  afterEach(() => vi.restoreAllMocks());

  it('never draws more items than it has slots, at any scroll position, so no two drawn items share one', () => {
    for (const [width, height] of [
      [800, 600],
      [1203, 517],
      [320, 900],
    ] as const) {
      const { grid, scroller } = gridIn(width, height, 100_000);
      const spans: number[] = [];
      for (let top = 0; top < 40 * grid.rowHeight.value; top += grid.rowHeight.value / 7) {
        scroller.scrollTop = top;
        scroller.dispatchEvent(new Event('scroll'));
        spans.push(grid.range.value.end - grid.range.value.first);
      }
      expect(Math.max(...spans)).toBeLessThanOrEqual(grid.slotCount.value);
      // Not a bound far above what is ever drawn: one row of slack at most.
      expect(grid.slotCount.value - Math.max(...spans)).toBeLessThanOrEqual(grid.columns.value);
    }
  });
});
