import { describe, expect, it, vi } from 'vitest';
import { ApiRequestError } from '../api/index.js';
import { deferred, fakeApi, installStores } from '../test-support/fake-api.js';
import { useImportStore } from './import.store.js';

const accepted = { job_id: '22222222-2222-4222-8222-222222222222', status: 'queued' as const, message: 'Import started.' };

describe('the import store', () => {
  it('starts one import however often submit is pressed while it runs', async () => {
    const answer = deferred<typeof accepted>();
    const importFolder = vi.fn(() => answer.promise);
    installStores(fakeApi({ imports: { importFolder } }));
    const store = useImportStore();
    const first = store.importFolder('google_drive', '  https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOp ');
    await expect(store.importFolder('google_drive', 'https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOp')).resolves.toBeUndefined();
    answer.resolve(accepted);
    await expect(first).resolves.toBe(accepted.job_id);
    expect(importFolder).toHaveBeenCalledTimes(1);
    expect(importFolder).toHaveBeenCalledWith('google_drive', { folder_url: 'https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOp' });
    expect(store.submitting).toBe(false);
  });

  it("keeps the API's refusal for the form to show", async () => {
    const refusal = new ApiRequestError(404, 'folder_not_found', 'Google Drive has no folder 1AbCdEfGhIjKlMnOp that this server can see.');
    installStores(fakeApi({ imports: { importFolder: () => Promise.reject(refusal) } }));
    const store = useImportStore();
    await expect(store.importFolder('google_drive', 'https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOp')).resolves.toBeUndefined();
    expect(store.error).toEqual({ status: 404, code: 'folder_not_found', message: refusal.message });
  });
});
