import { EntitySchema } from 'typeorm';

/** One line of a list given to `POST /import/urls`, kept so the lister can list it a page at a time. */
export interface UrlListEntryRow {
  /** The list's id: the id of the job that imports it. */
  listId: string;
  /** 1-based position in the list as given. */
  position: number;
  url: string;
}

export const UrlListEntryEntity = new EntitySchema<UrlListEntryRow>({
  name: 'UrlListEntry',
  tableName: 'url_list_entries',
  columns: {
    listId: { name: 'list_id', type: 'uuid', primary: true },
    position: { type: 'integer', primary: true },
    url: { type: 'text' },
  },
});
