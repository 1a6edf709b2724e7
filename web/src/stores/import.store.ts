import { defineStore } from 'pinia';
import { ref } from 'vue';
import { ApiRequestError, type FolderSource } from '../api/index.js';
import { useApi } from '../composables/use-api.js';
import { errorMessage } from '../lib/format.js';

/** Starting imports: one request at a time, with the API's refusal kept for the form to show. */
export const useImportStore = defineStore('import', () => {
  const api = useApi();
  const submitting = ref(false);
  const error = ref<{ status: number; code: string; message: string } | null>(null);

  /** Returns the new job's id, or undefined when the API refused (see `error`) or a submit is already under way. */
  async function importFolder(source: FolderSource, folderUrl: string): Promise<string | undefined> {
    if (submitting.value) return undefined;
    submitting.value = true;
    error.value = null;
    try {
      const accepted = await api.imports.importFolder(source, { folder_url: folderUrl.trim() });
      return accepted.job_id;
    } catch (e) {
      error.value = e instanceof ApiRequestError ? { status: e.status, code: e.code, message: e.message } : { status: 0, code: 'unknown', message: errorMessage(e) };
      return undefined;
    } finally {
      submitting.value = false;
    }
  }

  return { submitting, error, importFolder, clearError: () => (error.value = null) };
});
