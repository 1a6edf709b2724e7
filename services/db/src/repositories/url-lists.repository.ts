import type { DataSource } from 'typeorm';
import { storableText } from '../storable-text.js';

/** The URL lists of `POST /import/urls`: written in chunks as a request streams in, read a page at a time by the lister. */
export class UrlListsRepository {
  constructor(private readonly db: DataSource) {}

  /** Stores lines `first`, `first + 1`, ... of a list, each as storableText; a repeat of the same lines changes nothing. */
  async append(listId: string, first: number, urls: readonly string[]): Promise<void> {
    if (urls.length === 0) return;
    await this.db.query(
      `INSERT INTO url_list_entries (list_id, position, url)
       SELECT $1, $2::int + n - 1, u FROM unnest($3::text[]) WITH ORDINALITY AS t(u, n)
       ON CONFLICT (list_id, position) DO NOTHING`,
      [listId, first, urls.map(storableText)],
    );
  }

  /** Up to `limit` lines after position `after`, in order. */
  async page(listId: string, after: number, limit: number): Promise<{ position: number; url: string }[]> {
    return (await this.db.query(`SELECT position, url FROM url_list_entries WHERE list_id = $1 AND position > $2 ORDER BY position LIMIT $3`, [
      listId,
      after,
      limit,
    ])) as { position: number; url: string }[];
  }
}
