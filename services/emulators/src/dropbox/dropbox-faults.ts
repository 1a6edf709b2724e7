import { z } from 'zod';

/** The emulated routes, as counters and fault rules name them. */
export const DropboxRouteSchema = z.enum(['list_folder', 'list_folder/continue', 'get_shared_link_metadata', 'get_shared_link_file']);
export type DropboxRoute = z.infer<typeof DropboxRouteSchema>;

/** One scripted answer given instead of (or before) the normal one. */
export const DropboxFaultResponseSchema = z.discriminatedUnion('type', [
  /** 429 with `Retry-After` (seconds); a JSON body `{error: {reason, retry_after}}` or plain text, both seen from Dropbox. */
  z.object({ type: z.literal('rateLimit'), retryAfter: z.number().int().nonnegative().default(1), body: z.enum(['json', 'text']).default('json') }),
  /** Any status with a plain-text body (a 5xx, a 400). */
  z.object({ type: z.literal('status'), status: z.number().int().min(400).max(599), body: z.string().default('') }),
  /** A 409 with this error union, e.g. `{".tag": "shared_link_access_denied"}`. */
  z.object({ type: z.literal('conflict'), error: z.record(z.string(), z.unknown()), userMessage: z.string().optional() }),
  /** The connection is dropped before any byte of the answer. */
  z.object({ type: z.literal('reset') }),
  /** Downloads only: status, headers and `afterBytes` of the body (default: half), then the connection is dropped. */
  z.object({ type: z.literal('resetMidBody'), afterBytes: z.number().int().nonnegative().optional() }),
  /** Downloads only: the whole body with one byte changed, so it no longer matches its content_hash. */
  z.object({ type: z.literal('corrupt') }),
]);
export type DropboxFaultResponse = z.infer<typeof DropboxFaultResponseSchema>;

export const DropboxFaultRuleSchema = z.object({
  /** Which route; every route when absent. */
  route: DropboxRouteSchema.optional(),
  /** Which path under the link (the listed folder, or the downloaded file), case-insensitive; every path when absent. */
  path: z.string().optional(),
  responses: z.array(DropboxFaultResponseSchema).min(1),
  /** Give the responses over and over (a permanent fault) instead of once each. */
  repeat: z.boolean().default(false),
});
export type DropboxFaultRule = z.infer<typeof DropboxFaultRuleSchema>;
export type DropboxFaultRuleInput = z.input<typeof DropboxFaultRuleSchema>;

const normalise = (path: string) => `/${path.split('/').filter(Boolean).join('/')}`.toLowerCase();

/** Holds fault rules; the first rule (in the order added) that matches a request and is not used up answers it. */
export class DropboxFaultBook {
  private rules: { rule: DropboxFaultRule; next: number }[] = [];

  add(...inputs: DropboxFaultRuleInput[]): void {
    for (const input of inputs) this.rules.push({ rule: DropboxFaultRuleSchema.parse(input), next: 0 });
  }

  clear(): void {
    this.rules = [];
  }

  /** The scripted answer for this request, consuming it; undefined: answer normally. */
  take(route: DropboxRoute, path: string | undefined): DropboxFaultResponse | undefined {
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.route && rule.route !== route) continue;
      if (rule.path !== undefined && (path === undefined || normalise(rule.path) !== normalise(path))) continue;
      if (!rule.repeat && active.next >= rule.responses.length) continue;
      const response = rule.responses[active.next % rule.responses.length];
      active.next += 1;
      if (response) return response;
    }
    return undefined;
  }

  /** Rules with answers still to give. */
  pending(): number {
    return this.rules.filter(({ rule, next }) => rule.repeat || next < rule.responses.length).length;
  }
}
