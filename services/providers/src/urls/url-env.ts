import { z } from 'zod';

/** The settings of URL imports (and of every other fetch of a user-given URL, webhooks included). */
export const UrlImportEnvSchema = z.object({
  /**
   * Comma-separated hosts that may be private, loopback or link-local (matched by the URL's host name exactly, lower
   * case): for tests and an operator's own servers. Everything else resolving to such an address is refused.
   */
  URL_IMPORT_ALLOWED_HOSTS: z.string().default(''),
  /** Bytes one image fetched from a URL may have. */
  URL_IMPORT_MAX_BYTES: z.coerce.number().int().min(1024).default(100 * 1024 * 1024),
});

export type UrlImportSettings = Readonly<{ allowedHosts: ReadonlySet<string>; maxBytes: number }>;

export function urlImportSettings(e: z.infer<typeof UrlImportEnvSchema>): UrlImportSettings {
  const hosts = e.URL_IMPORT_ALLOWED_HOSTS.split(',')
    .map((h) => h.trim().toLowerCase().replace(/^\[|\]$/g, ''))
    .filter(Boolean);
  return Object.freeze({ allowedHosts: new Set(hosts), maxBytes: e.URL_IMPORT_MAX_BYTES });
}
