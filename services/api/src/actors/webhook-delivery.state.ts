import type { WebhookOutcome } from '../webhooks/webhook.sender.js';

/** A job's webhook, kept beside the job's state: where it goes and how its delivery is going. */
export interface WebhookDelivery {
  url: string;
  /** Attempts made so far. */
  attempts: number;
  /** `pending` until delivered, or given up after the last attempt (or a final refusal). */
  status: 'pending' | 'delivered' | 'given_up';
  lastError: string | null;
}

/** How a delivery is retried. */
export interface WebhookRetryPolicy {
  /** Wait before the first retry; doubled for each next one, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Attempts in all before the delivery is given up. */
  maxAttempts: number;
}

/** After an attempt: the delivery to save, and whether another attempt is armed (and when) or the reminder stops. */
export type AttemptResult = { delivery: WebhookDelivery; next: 'stop' } | { delivery: WebhookDelivery; next: 'retry'; delayMs: number };

/** A webhook not attempted yet. */
export function newDelivery(url: string): WebhookDelivery {
  return { url, attempts: 0, status: 'pending', lastError: null };
}

/** True while the webhook still has to be sent: once the job ends, and at each of its reminders. */
export function isDue(delivery: WebhookDelivery | null | undefined): delivery is WebhookDelivery {
  return delivery?.status === 'pending';
}

/** The wait before the attempt after `attempts` failed ones: doubling from the base, capped. */
export function retryDelayMs(attempts: number, policy: WebhookRetryPolicy): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

/** How often the delivery reminder comes back; it only matters when an attempt never ran (the process was down when it was due). */
export function reminderPeriodMs(policy: WebhookRetryPolicy): number {
  return Math.min(policy.maxDelayMs, 60_000);
}

/**
 * Counts one attempt: delivered, given up (a final refusal, or the last attempt allowed), or still pending with the
 * wait before the next one. The actor saves the delivery before it arms that attempt, so a delivered webhook is not sent again.
 */
export function recordAttempt(delivery: WebhookDelivery, outcome: WebhookOutcome, policy: WebhookRetryPolicy): AttemptResult {
  const attempts = delivery.attempts + 1;
  if (outcome.delivered) return { delivery: { ...delivery, attempts, status: 'delivered', lastError: null }, next: 'stop' };
  if (!outcome.retryable || attempts >= policy.maxAttempts) {
    return { delivery: { ...delivery, attempts, status: 'given_up', lastError: outcome.reason }, next: 'stop' };
  }
  return { delivery: { ...delivery, attempts, lastError: outcome.reason }, next: 'retry', delayMs: retryDelayMs(attempts, policy) };
}
