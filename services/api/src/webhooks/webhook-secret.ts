import { createHmac } from 'node:crypto';

/** Keeps job secrets apart from any other value ever derived from WEBHOOK_SECRET; changing it changes every job's secret. */
const JOB_SECRET_LABEL = 'image-importer/webhook-job-secret/v1';

/**
 * Each job's webhook signing secret, derived from the deployment's WEBHOOK_SECRET as HMAC-SHA256(deploymentSecret,
 * "<label>:<jobId>") and written as a Standard Webhooks secret (`whsec_` + base64 of the 32 bytes). Derived rather
 * than stored: the import's 202 hands it out once and the sender recomputes it on every attempt, restarts included.
 */
export class WebhookSecrets {
  // A private field, so the deployment secret stays out of JSON.stringify and util.inspect (logs).
  readonly #deploymentSecret: string;

  constructor(deploymentSecret: string) {
    if (!deploymentSecret) throw new Error('WEBHOOK_SECRET is empty: no job webhook secret can be derived from it');
    this.#deploymentSecret = deploymentSecret;
  }

  /** The `whsec_…` secret that signs the deliveries of one job and lets its receiver verify them. */
  forJob(jobId: string): string {
    return `whsec_${createHmac('sha256', this.#deploymentSecret).update(`${JOB_SECRET_LABEL}:${jobId}`).digest('base64')}`;
  }
}
