import { z } from 'zod';
import { JobSummaryV1 } from './http.js';

/**
 * The headers of a delivery, named by https://www.standardwebhooks.com/. A receiver verifies them against the raw body
 * with the job's `webhook_secret` (given once, in the 202 that created the job): `new Webhook(secret).verify(body, headers)`.
 */
export const WebhookHeader = {
  /** `msg_<job id>`: the same on every retry of one delivery, so a receiver can drop a repeat. */
  id: 'webhook-id',
  /** When this attempt was signed, in seconds since the epoch; receivers refuse one more than 5 minutes off (a replay). */
  timestamp: 'webhook-timestamp',
  /** `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, keyed with the job's secret. */
  signature: 'webhook-signature',
} as const;

/**
 * Name of the deployment secret in the Dapr secret store (`SECRET_WEBHOOK_SECRET` with the local env store). It signs
 * nothing itself: each job's secret is derived from it, so one job's receiver cannot forge another job's deliveries.
 */
export const WEBHOOK_SECRET_NAME = 'WEBHOOK_SECRET';

/** The one POST a job's `webhook_url` receives when the job ends (completed, with errors, failed or cancelled). */
export const JobFinishedWebhookV1 = z.object({
  event: z.literal('import.job.finished'),
  job: JobSummaryV1,
});
export type JobFinishedWebhook = z.infer<typeof JobFinishedWebhookV1>;
