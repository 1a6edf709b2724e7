import { describe, expect, it, vi } from 'vitest';
import type { AuthStatus, ImageList } from '@importer/contracts';
import type { ImageQuery } from '../api/index.js';
import { account, authStatus, deferred, fakeApi, image, installStores } from '../test-support/fake-api.js';
import { useGalleryStore } from './gallery.store.js';
import { useSessionStore } from './session.store.js';

const page = (from: number, count: number, next: string | null, total = 250): ImageList => ({
  images: Array.from({ length: count }, (_, i) => image(from + i)),
  next_cursor: next,
  total,
});

describe('the gallery store', () => {
  it("pages on the API's cursor until there is no next one", async () => {
    const list = vi.fn(async (q: ImageQuery) => (q.cursor ? page(100, 50, null, 150) : page(0, 100, 'c1', 150)));
    installStores(fakeApi({ images: { list } }));
    const gallery = useGalleryStore();
    await gallery.show({ source: 'google_drive' });
    await gallery.loadMore();
    await gallery.loadMore();
    expect(gallery.images.map((i) => i.name).slice(98, 101)).toEqual(['photo_98.png', 'photo_99.png', 'photo_100.png']);
    expect(gallery.images).toHaveLength(150);
    expect(gallery.exhausted).toBe(true);
    expect(list).toHaveBeenCalledTimes(2);
    expect(list.mock.calls[1]?.[0]).toMatchObject({ source: 'google_drive', cursor: 'c1' });
  });

  it('drops an answer that arrives after the filter changed', async () => {
    const slow = deferred<ImageList>();
    const list = vi.fn((q: ImageQuery) => (q.source === 'dropbox' ? Promise.resolve(page(500, 2, null, 2)) : slow.promise));
    installStores(fakeApi({ images: { list } }));
    const gallery = useGalleryStore();
    const first = gallery.show({ source: 'google_drive' });
    await gallery.show({ source: 'dropbox' });
    slow.resolve(page(0, 100, 'c1'));
    await first;
    expect(gallery.images.map((i) => i.name)).toEqual(['photo_500.png', 'photo_501.png']);
    expect(gallery.total).toBe(2);
  });

  it('moves the viewer past the last loaded image by fetching the next page', async () => {
    const list = vi.fn(async (q: ImageQuery) => (q.cursor ? page(2, 2, null, 4) : page(0, 2, 'c1', 4)));
    installStores(fakeApi({ images: { list } }));
    const gallery = useGalleryStore();
    await gallery.show({});
    gallery.open(1);
    await gallery.step(1);
    expect(gallery.openImage?.name).toBe('photo_2.png');
    await gallery.step(-3);
    expect(gallery.openImage?.name).toBe('photo_2.png');
  });

  it('keeps what it has and says why when a page fails', async () => {
    const list = vi.fn().mockResolvedValueOnce(page(0, 100, 'c1')).mockRejectedValueOnce(new Error('The server could not be reached.'));
    installStores(fakeApi({ images: { list } }));
    const gallery = useGalleryStore();
    await gallery.show({});
    await gallery.loadMore();
    expect(gallery.images).toHaveLength(100);
    expect(gallery.error).toBe('The server could not be reached.');
    expect(gallery.exhausted).toBe(false);
  });

  it("forgets the last user's images when someone else signs in, and lists theirs on the next show", async () => {
    const list = vi.fn().mockResolvedValueOnce(page(0, 3, null, 3)).mockResolvedValueOnce(page(10, 1, null, 1));
    installStores(fakeApi({ images: { list }, accounts: { status: async () => authStatus({ user: account() }), signOut: async () => undefined } }));
    const session = useSessionStore();
    const gallery = useGalleryStore();
    await session.refresh();
    await gallery.show({});
    await session.signOut();
    expect(gallery.images).toEqual([]);
    expect(gallery.total).toBeNull();
    await gallery.show({});
    expect(gallery.images.map((i) => i.name)).toEqual(['photo_10.png']);
  });

  it('keeps a first page asked before /auth/status first answered: that answer names the same session, not a new person', async () => {
    const status = deferred<AuthStatus>();
    const list = vi.fn().mockResolvedValueOnce(page(0, 3, null, 3));
    installStores(fakeApi({ images: { list }, accounts: { status: () => status.promise } }));
    const session = useSessionStore();
    const gallery = useGalleryStore();
    const asked = session.refresh();
    await gallery.show({});
    status.resolve(authStatus({ user: account() }));
    await asked;
    expect(gallery.images).toHaveLength(3);
    await gallery.show({});
    expect(list).toHaveBeenCalledTimes(1);
  });
});
