import { computed, onBeforeUnmount, onMounted, type Ref, ref, watch } from 'vue';

export interface VirtualGridOptions {
  /** Cells are at least this wide; as many columns as fit. */
  minCellWidth: number;
  gap: number;
  /** Rows drawn beyond the visible ones on each side, so fast scrolling shows no blank rows. */
  overscanRows?: number;
  /** Milliseconds without a scroll event after which the grid counts as at rest. */
  settleMs?: number;
  /** Rows beyond the visible ones on each side that `settledRange` takes in: fewer than the overscan, as each costs requests. */
  settledMarginRows?: number;
}

export interface VirtualGrid {
  columns: Readonly<Ref<number>>;
  cellSize: Readonly<Ref<number>>;
  /** Height of every row, cell plus gap. */
  rowHeight: Readonly<Ref<number>>;
  totalHeight: Readonly<Ref<number>>;
  /** The items to draw: [first, end). */
  range: Readonly<Ref<{ first: number; end: number }>>;
  /**
   * The most items `range` can hold at this size: `index % slotCount` names a drawn item's slot, never two at once, so
   * a cell scrolled out hands its element to one scrolled in instead of one being destroyed and another built.
   */
  slotCount: Readonly<Ref<number>>;
  /** The last item index on screen. */
  lastVisible: Readonly<Ref<number>>;
  /** What is worth fetching images for: at rest, the items on screen and `settledMarginRows` around them; while scrolling, what it held when the scroll began. */
  settledRange: Readonly<Ref<{ first: number; end: number }>>;
  offsetOf(index: number): { top: number; left: number };
  /** Scrolls just enough for the item to be in view. */
  reveal(index: number): void;
}

/**
 * A grid of square cells in a scrolling element that draws only the rows on screen: 100,000 images cost the
 * same as 100 in the DOM.
 */
export function useVirtualGrid(scroller: Ref<HTMLElement | null>, itemCount: Ref<number>, options: VirtualGridOptions): VirtualGrid {
  const { minCellWidth, gap, overscanRows = 3, settleMs = 120, settledMarginRows = 1 } = options;
  const width = ref(0);
  const height = ref(0);
  const scrollTop = ref(0);

  const columns = computed(() => Math.max(1, Math.floor((width.value + gap) / (minCellWidth + gap))));
  const cellSize = computed(() => Math.max(0, (width.value - gap * (columns.value - 1)) / columns.value));
  const rowHeight = computed(() => cellSize.value + gap);
  const rows = computed(() => Math.ceil(itemCount.value / columns.value));
  const totalHeight = computed(() => Math.max(0, rows.value * rowHeight.value - gap));
  /** The items of the rows on screen and `margin` rows on each side. */
  const rowsAround = (margin: number) => {
    if (rowHeight.value <= 0) return { first: 0, end: Math.min(itemCount.value, columns.value * 4) };
    const firstRow = Math.max(0, Math.floor(scrollTop.value / rowHeight.value) - margin);
    const lastRow = Math.ceil((scrollTop.value + height.value) / rowHeight.value) + margin;
    return { first: firstRow * columns.value, end: Math.min(itemCount.value, lastRow * columns.value) };
  };
  const range = computed(() => rowsAround(overscanRows));
  // A range spans at most ceil(height / rowHeight) + 1 rows on screen (the top one cut), plus the overscan on each side.
  const slotCount = computed(() =>
    rowHeight.value <= 0 ? columns.value * 4 : (Math.ceil(height.value / rowHeight.value) + 1 + 2 * overscanRows) * columns.value,
  );
  const lastVisible = computed(() =>
    rowHeight.value <= 0 ? 0 : Math.min(itemCount.value - 1, Math.ceil((scrollTop.value + height.value) / rowHeight.value) * columns.value - 1),
  );

  const measure = () => {
    const el = scroller.value;
    if (!el) return;
    width.value = el.clientWidth;
    height.value = el.clientHeight;
    scrollTop.value = el.scrollTop;
  };
  // While the user flicks, the rows flying past are not worth their thumbnails' requests: they would queue ahead of the next page.
  const scrolling = ref(false);
  const nearRange = computed(() => rowsAround(Math.min(settledMarginRows, overscanRows)));
  // At rest it grows to the rows near the screen a row a side per frame: a rest costs a few short tasks (each
  // thumbnail is a request and an element), not one long one. Drawn items it already took in keep their thumbnail.
  const settledRange = ref({ first: 0, end: 0 });
  let growFrame: number | undefined;
  const growSettled = () => {
    growFrame = undefined;
    const target = nearRange.value;
    const row = columns.value;
    let first = Math.max(settledRange.value.first, range.value.first);
    let end = Math.min(settledRange.value.end, range.value.end);
    if (first >= end || end <= target.first || first >= target.end) {
      first = target.first;
      end = Math.min(target.end, target.first + row);
    } else {
      if (first > target.first) first = Math.max(target.first, first - row);
      if (end < target.end) end = Math.min(target.end, end + row);
    }
    settledRange.value = { first, end };
    if (first > target.first || end < target.end) growFrame = requestAnimationFrame(growSettled);
  };
  watch(
    [nearRange, scrolling],
    () => {
      if (!scrolling.value && growFrame === undefined) growSettled();
    },
    { immediate: true },
  );
  let settleTimer: ReturnType<typeof setTimeout> | undefined;
  const onScroll = () => {
    if (growFrame !== undefined) cancelAnimationFrame(growFrame);
    growFrame = undefined;
    if (scroller.value) scrollTop.value = scroller.value.scrollTop;
    scrolling.value = true;
    clearTimeout(settleTimer);
    settleTimer = setTimeout(() => (scrolling.value = false), settleMs);
  };
  let observer: ResizeObserver | undefined;
  onMounted(() => {
    measure();
    scroller.value?.addEventListener('scroll', onScroll, { passive: true });
    if (typeof ResizeObserver !== 'undefined' && scroller.value) {
      observer = new ResizeObserver(measure);
      observer.observe(scroller.value);
    }
  });
  onBeforeUnmount(() => {
    scroller.value?.removeEventListener('scroll', onScroll);
    observer?.disconnect();
    clearTimeout(settleTimer);
    if (growFrame !== undefined) cancelAnimationFrame(growFrame);
  });

  const offsetOf = (index: number) => ({
    top: Math.floor(index / columns.value) * rowHeight.value,
    left: (index % columns.value) * (cellSize.value + gap),
  });

  const reveal = (index: number) => {
    const el = scroller.value;
    if (!el) return;
    const { top } = offsetOf(index);
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + cellSize.value > el.scrollTop + el.clientHeight) el.scrollTop = top + cellSize.value - el.clientHeight;
    scrollTop.value = el.scrollTop;
  };

  return { columns, cellSize, rowHeight, totalHeight, range, slotCount, lastVisible, settledRange, offsetOf, reveal };
}
