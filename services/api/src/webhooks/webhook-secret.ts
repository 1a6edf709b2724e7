import { createHmac } from 'node:crypto';

/** Keep job and user secrets apart from any other value ever derived from WEBHOOK_SECRET; changing one changes every such secret. */
const JOB_SECRET_LABEL = 'image-importer/webhook-job-secret/v1';
const USER_SECRET_LABEL = 'image-importer/webhook-user-secret/v1';

/**
 * Webhook signing secrets, derived from the deployment's WEBHOOK_SECRET as HMAC-SHA256(deploymentSecret, "<label>:…")
 * and written as Standard Webhooks secrets (`whsec_` + base64 of the 32 bytes). Each user's is keyed by their id and a
 * version that rotation bumps; a job from before accounts (no owner) keeps its own. Derived rather than stored, so no
 * table holds a secret and the sender recomputes it on every attempt, restarts included.
 */
export class WebhookSecrets {
  // A private field, so the deployment secret stays out of JSON.stringify and util.inspect (logs).
  readonly #deploymentSecret: string;

  constructor(deploymentSecret: string) {
    if (!deploymentSecret) throw new Error('WEBHOOK_SECRET is empty: no job webhook secret can be derived from it');
    this.#deploymentSecret = deploymentSecret;
  }

  /** The `whsec_…` secret of a job from before accounts, which has no owner. */
  forJob(jobId: string): string {
    return this.derive(`${JOB_SECRET_LABEL}:${jobId}`);
  }

  /** The `whsec_…` secret that signs the deliveries of every job of one user, at one version of it. */
  forUser(userId: string, version: number): string {
    return this.derive(`${USER_SECRET_LABEL}:${userId}:${version}`);
  }

  private derive(label: string): string {
    return `whsec_${createHmac('sha256', this.#deploymentSecret).update(label).digest('base64')}`;
  }
}
