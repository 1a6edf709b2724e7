import { type JobFinishedWebhook, WebhookHeader } from '@importer/contracts';
import { guardedFetch, SourceError, type UrlGuardOptions } from '@importer/providers';
import { Webhook } from 'standardwebhooks';
import type { UserWebhookSecrets } from './user-webhook-secrets.js';

/** What one delivery attempt came to. */
export type WebhookOutcome = { delivered: true; status: number } | { delivered: false; retryable: boolean; reason: string };

/** The Standard Webhooks message id of a job's delivery: one per job, so every retry carries the same one. */
export const webhookMessageId = (jobId: string) => `msg_${jobId}`;

/**
 * The Standard Webhooks headers of one attempt: `webhook-id` (the job's, stable across retries), `webhook-timestamp`
 * (the attempt's time, in seconds) and `webhook-signature` (`v1,<base64>` over id, timestamp and body, keyed with `secret`).
 */
export function webhookHeaders(secret: string, jobId: string, body: string, at: Date): Record<string, string> {
  const id = webhookMessageId(jobId);
  return {
    [WebhookHeader.id]: id,
    [WebhookHeader.timestamp]: String(Math.floor(at.getTime() / 1000)),
    [WebhookHeader.signature]: new Webhook(secret).sign(id, at, body),
  };
}

export interface WebhookSenderOptions {
  /** The time each attempt is signed at. Default: the system clock. */
  now?: () => Date;
  /** Sends the POST. Default: guardedFetch (tests give their own). */
  fetch?: typeof guardedFetch;
}

/**
 * Posts a job's summary to its webhook, signed by the Standard Webhooks scheme with its owner's secret, through the
 * same SSRF guard as URL imports (private, loopback and link-local addresses refused after DNS resolution; redirects
 * not followed). 2xx is delivered; 5xx, 408, 429 and network failures are worth another attempt; any other answer or
 * a refused address is final.
 */
export class WebhookSender {
  private readonly now: () => Date;
  private readonly fetch: typeof guardedFetch;

  constructor(
    private readonly secrets: Pick<UserWebhookSecrets, 'signingSecret'>,
    private readonly guard: UrlGuardOptions,
    options: WebhookSenderOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.fetch = options.fetch ?? guardedFetch;
  }

  /** One attempt at delivering `payload` for a job; signed afresh with its owner's secret as it is now, and this attempt's time. */
  async deliver(url: string, job: { jobId: string; ownerId: string | null }, payload: JobFinishedWebhook): Promise<WebhookOutcome> {
    const { jobId } = job;
    const body = JSON.stringify(payload);
    const secret = await this.secrets.signingSecret(job.ownerId, jobId);
    if (!secret) return { delivered: false, retryable: false, reason: 'the job\'s owner no longer exists, so there is no secret to sign with' };
    try {
      const response = await this.fetch(
        url,
        {
          method: 'POST',
          body,
          maxBytes: 64 * 1024,
          headers: { 'content-type': 'application/json', ...webhookHeaders(secret, jobId, body, this.now()) },
        },
        { maxRedirects: 0, headersTimeoutMs: 10_000, ...this.guard },
      );
      response.body.resume();
      const { status } = response;
      if (status >= 200 && status < 300) return { delivered: true, status };
      return { delivered: false, retryable: status >= 500 || status === 408 || status === 429, reason: `the receiver answered ${status}` };
    } catch (error) {
      if (error instanceof SourceError) return { delivered: false, retryable: error.retryable, reason: `${error.reason}: ${error.message}` };
      const code = (error as { code?: string }).code;
      return { delivered: false, retryable: true, reason: `${code ?? 'network'}: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
}
