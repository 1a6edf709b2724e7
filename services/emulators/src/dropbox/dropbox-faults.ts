import { z } from 'zod';
import { FaultBook, faultRuleSchema } from '../shared/fault-book.js';
import { TRANSPORT_FAULT_SCHEMAS } from '../shared/transport-faults.js';

/** The emulated routes, as counters and fault rules name them. */
export const DropboxRouteSchema = z.enum(['list_folder', 'list_folder/continue', 'get_shared_link_metadata', 'get_shared_link_file']);
export type DropboxRoute = z.infer<typeof DropboxRouteSchema>;

/** 429 with `Retry-After` (seconds); a JSON body `{error: {reason, retry_after}}` or plain text, both seen from Dropbox. */
export const RateLimitFaultSchema = z.object({ type: z.literal('rateLimit'), retryAfter: z.number().int().nonnegative().default(1), body: z.enum(['json', 'text']).default('json') });
/** Any status with a plain-text body (a 5xx, a 400). */
export const StatusFaultSchema = z.object({ type: z.literal('status'), status: z.number().int().min(400).max(599), body: z.string().default('') });
/** A 409 with this error union, e.g. `{".tag": "shared_link_access_denied"}`. */
export const ConflictFaultSchema = z.object({ type: z.literal('conflict'), error: z.record(z.string(), z.unknown()), userMessage: z.string().optional() });
/** Dropbox's own fault kinds: its error answers. */
export type DropboxErrorFault = z.infer<typeof RateLimitFaultSchema> | z.infer<typeof StatusFaultSchema> | z.infer<typeof ConflictFaultSchema>;

/** One scripted answer given instead of (or before) the normal one: a Dropbox error or a shared transport fault (body faults on downloads only). */
export const DropboxFaultResponseSchema = z.discriminatedUnion('type', [RateLimitFaultSchema, StatusFaultSchema, ConflictFaultSchema, ...TRANSPORT_FAULT_SCHEMAS]);
export type DropboxFaultResponse = z.infer<typeof DropboxFaultResponseSchema>;

/** A queue of scripted answers for the requests a rule matches, given before the normal answer. */
export const DropboxFaultRuleSchema = faultRuleSchema(DropboxRouteSchema, DropboxFaultResponseSchema, {
  /** Which path under the link (the listed folder, or the downloaded file), case-insensitive; every path when absent. */
  path: z.string().optional(),
});
export type DropboxFaultRule = z.infer<typeof DropboxFaultRuleSchema>;
export type DropboxFaultRuleInput = z.input<typeof DropboxFaultRuleSchema>;

/** `/Day 1//x.PNG` and `day 1/x.png` are one path: Dropbox paths are case-insensitive. */
export const normaliseDropboxPath = (path: string) => `/${path.split('/').filter(Boolean).join('/')}`.toLowerCase();

/** An empty fault book for Dropbox rules: they match paths case-insensitively. */
export function dropboxFaultBook(): FaultBook<DropboxFaultRule, DropboxFaultRuleInput> {
  return new FaultBook({ schema: DropboxFaultRuleSchema, target: (rule) => rule.path, normalise: normaliseDropboxPath });
}
