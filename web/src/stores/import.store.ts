import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { FolderSource } from '../api/index.js';
import { useApi } from '../composables/use-api.js';
import { type ApiProblem, apiProblem } from '../lib/api-problem.js';

/** Starting imports: one request at a time, with the API's refusal kept for the form to show. */
export const useImportStore = defineStore('import', () => {
  const api = useApi();
  const submitting = ref(false);
  const error = ref<ApiProblem | null>(null);

  /** Runs one start request at a time; the new job's id, or undefined when the API refused (see `error`) or one is under way. */
  async function start(request: () => Promise<{ job_id: string }>): Promise<string | undefined> {
    if (submitting.value) return undefined;
    submitting.value = true;
    error.value = null;
    try {
      return (await request()).job_id;
    } catch (e) {
      error.value = apiProblem(e);
      return undefined;
    } finally {
      submitting.value = false;
    }
  }

  return {
    submitting,
    error,
    importFolder: (source: FolderSource, folderUrl: string) => start(() => api.imports.importFolder(source, { folder_url: folderUrl.trim() })),
    importUrls: (urls: string[]) => start(() => api.imports.importUrls(urls)),
    importCsv: (file: Blob) => start(() => api.imports.importCsv(file)),
    clearError: () => (error.value = null),
  };
});
