import { z } from 'zod';
import { FaultBook, type FaultRuleState as SharedFaultRuleState, faultRuleSchema } from '../shared/fault-book.js';
import { TRANSPORT_FAULT_SCHEMAS } from '../shared/transport-faults.js';

/** The emulated routes, as counters and fault rules name them. */
export const DriveRouteSchema = z.enum(['files.list', 'files.get', 'files.media']);
export type DriveRoute = z.infer<typeof DriveRouteSchema>;

/** Drive's own fault kind: a Google error. Give a known `reason` (status, domain and message filled in), a `status`, or both. */
export const GoogleErrorFaultSchema = z.object({
  type: z.literal('error'),
  reason: z.string().min(1).optional(),
  status: z.number().int().min(400).max(599).optional(),
  message: z.string().optional(),
  /** Sent as the Retry-After header: seconds ("1") or an HTTP date. */
  retryAfter: z.string().optional(),
  /** `envelope`: Google's JSON; `empty`: no body at all; `nullMessage`: `{"error":{"code":N,"message":null}}`. */
  body: z.enum(['envelope', 'empty', 'nullMessage']).default('envelope'),
});
export type GoogleErrorFault = z.infer<typeof GoogleErrorFaultSchema>;

/** One scripted answer given instead of (or before) the normal one: a Google error or a shared transport fault. */
export const FaultResponseSchema = z.discriminatedUnion('type', [GoogleErrorFaultSchema, ...TRANSPORT_FAULT_SCHEMAS]);
export type FaultResponse = z.infer<typeof FaultResponseSchema>;
export type FaultResponseInput = z.input<typeof FaultResponseSchema>;

/** A queue of scripted answers for the requests a rule matches, given before the normal answer. */
export const FaultRuleSchema = faultRuleSchema(DriveRouteSchema, FaultResponseSchema, {
  /** Which file (files.get, files.media) or listed folder (files.list); every id when absent. */
  fileId: z.string().min(1).optional(),
});
export type FaultRule = z.infer<typeof FaultRuleSchema>;
export type FaultRuleInput = z.input<typeof FaultRuleSchema>;

/** A rule and how many of its responses are still to be given (null: it repeats forever). */
export type FaultRuleState = SharedFaultRuleState<FaultRule>;

/** An empty fault book for Drive rules: they match file ids exactly. */
export function driveFaultBook(): FaultBook<FaultRule, FaultRuleInput> {
  return new FaultBook({ schema: FaultRuleSchema, target: (rule) => rule.fileId });
}
