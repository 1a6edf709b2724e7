import { createHmac } from 'node:crypto';
import { type JobFinishedWebhook, WEBHOOK_DELIVERY_HEADER, WEBHOOK_EVENT_HEADER, WEBHOOK_SIGNATURE_HEADER } from '@importer/contracts';
import { guardedFetch, SourceError, type UrlGuardOptions } from '@importer/providers';

/** What one delivery attempt came to. */
export type WebhookOutcome = { delivered: true; status: number } | { delivered: false; retryable: boolean; reason: string };

/** `sha256=<hex>` of the body, keyed with the secret: what the signature header carries. */
export function signWebhookBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Posts a job's summary to its webhook, signed, through the same SSRF guard as URL imports (private, loopback and
 * link-local addresses refused after DNS resolution and on every redirect, unless allowed). 2xx is delivered; 5xx,
 * 408, 429 and network failures are worth another attempt; any other answer or a refused address is final.
 */
export class WebhookSender {
  constructor(
    private readonly secret: string,
    private readonly guard: UrlGuardOptions,
  ) {}

  async deliver(url: string, deliveryId: string, payload: JobFinishedWebhook): Promise<WebhookOutcome> {
    const body = JSON.stringify(payload);
    try {
      const response = await guardedFetch(
        url,
        {
          method: 'POST',
          body,
          maxBytes: 64 * 1024,
          headers: {
            'content-type': 'application/json',
            [WEBHOOK_SIGNATURE_HEADER]: signWebhookBody(this.secret, body),
            [WEBHOOK_DELIVERY_HEADER]: deliveryId,
            [WEBHOOK_EVENT_HEADER]: payload.event,
          },
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
