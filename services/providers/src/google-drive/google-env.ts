import { z } from 'zod';

/** The Google Drive settings every service that talks to Drive reads. */
export const GoogleEnvSchema = z.object({
  /** An API key of a Google Cloud project with the Drive API on; without it, Drive imports are off. */
  GOOGLE_API_KEY: z.string().min(1).optional(),
  /** Where the Drive API answers: Google, or an emulator in tests and the demo. */
  GOOGLE_API_ROOT_URL: z.url().default('https://www.googleapis.com/'),
  /** Entries per files.list page: Drive's most, 1000, unless a test wants many pages from a small folder. */
  GOOGLE_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(1000),
});

export type GoogleSettings = { readonly apiKey: string; readonly rootUrl: string; readonly pageSize: number } | undefined;

export function googleSettings(e: z.infer<typeof GoogleEnvSchema>): GoogleSettings {
  return e.GOOGLE_API_KEY ? { apiKey: e.GOOGLE_API_KEY, rootUrl: e.GOOGLE_API_ROOT_URL, pageSize: e.GOOGLE_PAGE_SIZE } : undefined;
}
