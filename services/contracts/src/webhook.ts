import { z } from 'zod';
import { JobSummaryV1 } from './http.js';

/** `sha256=<hex>`: HMAC-SHA256 of the raw request body, keyed with the deployment's WEBHOOK_SECRET. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-importer-signature';
/** The job id: the same on every retry of one delivery, so a receiver can drop a repeat. */
export const WEBHOOK_DELIVERY_HEADER = 'x-importer-delivery';
export const WEBHOOK_EVENT_HEADER = 'x-importer-event';
/** Name of the signing secret in the Dapr secret store (`SECRET_WEBHOOK_SECRET` with the local env store). */
export const WEBHOOK_SECRET_NAME = 'WEBHOOK_SECRET';

/** The one POST a job's `webhook_url` receives when the job ends (completed, with errors, failed or cancelled). */
export const JobFinishedWebhookV1 = z.object({
  event: z.literal('import.job.finished'),
  job: JobSummaryV1,
});
export type JobFinishedWebhook = z.infer<typeof JobFinishedWebhookV1>;
