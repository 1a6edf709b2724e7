import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { Image } from '@importer/contracts';
import { useApi } from '../composables/use-api.js';
import { errorMessage } from '../lib/format.js';
import type { GalleryFilter } from '../lib/gallery-filter.js';
import { useSessionStore } from './session.store.js';

export type { GalleryFilter };

export const GALLERY_PAGE_SIZE = 200;

/** The gallery: the signed-in user's images page by page on the API's cursor, under one filter, and the one open in the viewer. */
export const useGalleryStore = defineStore('gallery', () => {
  const api = useApi();
  const session = useSessionStore();
  // Shallow: up to 100,000 plain records, replaced a whole page at a time, so none of them needs to be reactive.
  const images = shallowRef<Image[]>([]);
  const total = ref<number | null>(null);
  const cursor = ref<string | null>(null);
  const exhausted = ref(false);
  const filter = ref<GalleryFilter>({});
  const loading = ref(false);
  const error = ref<string | null>(null);
  const openIndex = ref<number | null>(null);
  let generation = 0;
  let started = false;

  const openImage = computed(() => (openIndex.value === null ? undefined : images.value[openIndex.value]));

  async function loadMore(): Promise<void> {
    if (loading.value || exhausted.value) return;
    const asked = generation;
    loading.value = true;
    error.value = null;
    try {
      const page = await api.images.list({ ...filter.value, cursor: cursor.value ?? undefined, limit: GALLERY_PAGE_SIZE });
      if (asked !== generation) return;
      // A new array, not a push: components that take the list as a prop only see a new value.
      images.value = images.value.concat(page.images);
      total.value = page.total;
      cursor.value = page.next_cursor;
      exhausted.value = page.next_cursor === null;
    } catch (e) {
      if (asked === generation) error.value = errorMessage(e);
    } finally {
      if (asked === generation) loading.value = false;
    }
  }

  /** Forgets every image loaded; answers still on their way are dropped. */
  function clear(): void {
    started = false;
    generation++;
    images.value = [];
    total.value = null;
    cursor.value = null;
    exhausted.value = false;
    loading.value = false;
    error.value = null;
    openIndex.value = null;
  }

  /** Starts over under a new filter; answers still on their way for the old one are dropped. */
  async function show(next: GalleryFilter): Promise<void> {
    const same = started && next.source === filter.value.source && next.jobId === filter.value.jobId;
    if (same) return;
    clear();
    started = true;
    filter.value = { source: next.source, jobId: next.jobId };
    await loadMore();
  }

  // Another person signed in, or nobody is: nothing of the last one's images stays, and the next show() starts over.
  // The first answer of /auth/status is no change of person: a first page asked beside it (the router's prefetch)
  // went with the same session cookie, so it is that person's.
  const viewer = () => (session.status ? (session.user?.id ?? null) : undefined);
  watch(
    viewer,
    (_now, before) => {
      if (before !== undefined) clear();
    },
    { flush: 'sync' },
  );

  async function reload(): Promise<void> {
    started = false;
    await show(filter.value);
  }

  function open(index: number): void {
    if (index >= 0 && index < images.value.length) openIndex.value = index;
  }

  /** Moves the viewer by `delta`, fetching the next page when it reaches the last image loaded. */
  async function step(delta: number): Promise<void> {
    if (openIndex.value === null) return;
    const target = openIndex.value + delta;
    if (target >= images.value.length && !exhausted.value) await loadMore();
    if (target >= 0 && target < images.value.length) openIndex.value = target;
  }

  return {
    images,
    total,
    exhausted,
    filter,
    loading,
    error,
    openIndex,
    openImage,
    show,
    reload,
    loadMore,
    open,
    close: () => (openIndex.value = null),
    step,
  };
});
