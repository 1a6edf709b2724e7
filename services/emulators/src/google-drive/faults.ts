import { z } from 'zod';

/** The emulated routes, as counters and fault rules name them. */
export const DriveRouteSchema = z.enum(['files.list', 'files.get', 'files.media']);
export type DriveRoute = z.infer<typeof DriveRouteSchema>;

/** One scripted answer given instead of (or before) the normal one. */
export const FaultResponseSchema = z.discriminatedUnion('type', [
  z.object({
    /** A Google error: give a known `reason` (status, domain and message filled in), a `status`, or both. */
    type: z.literal('error'),
    reason: z.string().min(1).optional(),
    status: z.number().int().min(400).max(599).optional(),
    message: z.string().optional(),
    /** Sent as the Retry-After header: seconds ("1") or an HTTP date. */
    retryAfter: z.string().optional(),
    /** `envelope`: Google's JSON; `empty`: no body at all; `nullMessage`: `{"error":{"code":N,"message":null}}`. */
    body: z.enum(['envelope', 'empty', 'nullMessage']).default('envelope'),
  }),
  /** The connection is dropped before any byte of the answer. */
  z.object({ type: z.literal('reset') }),
  /** Media only: status, headers and `afterBytes` of the body (default: half), then the connection is dropped. */
  z.object({ type: z.literal('resetMidBody'), afterBytes: z.number().int().nonnegative().optional() }),
  /** Waits, then answers normally. */
  z.object({ type: z.literal('delay'), ms: z.number().int().nonnegative() }),
]);
export type FaultResponse = z.infer<typeof FaultResponseSchema>;
export type FaultResponseInput = z.input<typeof FaultResponseSchema>;

/** A queue of scripted answers for the requests a rule matches, given before the normal answer. */
export const FaultRuleSchema = z.object({
  /** Which route; every route when absent. */
  route: DriveRouteSchema.optional(),
  /** Which file (files.get, files.media) or listed folder (files.list); every id when absent. */
  fileId: z.string().min(1).optional(),
  responses: z.array(FaultResponseSchema).min(1),
  /** Give the responses over and over (a permanent fault) instead of once each. */
  repeat: z.boolean().default(false),
});
export type FaultRule = z.infer<typeof FaultRuleSchema>;
export type FaultRuleInput = z.input<typeof FaultRuleSchema>;

interface ActiveRule {
  rule: FaultRule;
  next: number;
}

/** A rule and how many of its responses are still to be given (null: it repeats forever). */
export interface FaultRuleState {
  rule: FaultRule;
  remaining: number | null;
}

/** Holds fault rules; the first rule (in the order added) that matches a request and is not used up answers it. */
export class FaultBook {
  private rules: ActiveRule[] = [];

  add(...inputs: FaultRuleInput[]): void {
    for (const input of inputs) this.rules.push({ rule: FaultRuleSchema.parse(input), next: 0 });
  }

  clear(): void {
    this.rules = [];
  }

  /** The scripted answer for this request, consuming it; undefined: answer normally. */
  take(route: DriveRoute, fileId: string | undefined): FaultResponse | undefined {
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.route && rule.route !== route) continue;
      if (rule.fileId && rule.fileId !== fileId) continue;
      if (!rule.repeat && active.next >= rule.responses.length) continue;
      const response = rule.responses[active.next % rule.responses.length];
      active.next += 1;
      if (response) return response;
    }
    return undefined;
  }

  state(): FaultRuleState[] {
    return this.rules.map(({ rule, next }) => ({ rule, remaining: rule.repeat ? null : Math.max(0, rule.responses.length - next) }));
  }
}
