import { z } from 'zod';
import { ImportAcceptedV1, WebhookUrlSchema } from './http.js';
import { MAX_URL_LINE_LENGTH, MAX_URLS_PER_IMPORT } from './limits.js';

/** `POST /import/urls` as JSON. A CSV upload (multipart field `file`, or a `text/csv` body) takes `webhook_url` as a form field or query parameter. */
export const ImportUrlsRequestV1 = z.object({
  /** Image URLs, http or https; each one gets its own outcome (imported, failed with a reason, or skipped). */
  urls: z
    .array(z.string().max(MAX_URL_LINE_LENGTH, `a URL may have at most ${MAX_URL_LINE_LENGTH} characters`))
    .min(1, 'urls is empty')
    .max(MAX_URLS_PER_IMPORT, `at most ${MAX_URLS_PER_IMPORT} URLs per import`),
  /** Called once with the job's summary when it ends. */
  webhook_url: WebhookUrlSchema.optional(),
});

/** `POST /import/urls` accepted: the job, and how many lines it read. */
export const ImportUrlsAcceptedV1 = ImportAcceptedV1.extend({
  /** Lines read (blank lines left out); duplicates are imported once and counted once in the job. */
  urls_received: z.number().int().nonnegative(),
});

export type ImportUrlsRequest = z.infer<typeof ImportUrlsRequestV1>;
export type ImportUrlsAccepted = z.infer<typeof ImportUrlsAcceptedV1>;
