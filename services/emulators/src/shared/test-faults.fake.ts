import { z } from 'zod';
import { FaultBook, faultRuleSchema } from './fault-book.js';
import { TRANSPORT_FAULT_SCHEMAS } from './transport-faults.js';

/** A made-up emulator's fault rules for the shared pieces' unit tests: routes `list` and `get`, its own kind `fail`. */
export const TestRuleSchema = faultRuleSchema(
  z.enum(['list', 'get']),
  z.discriminatedUnion('type', [z.object({ type: z.literal('fail'), code: z.number() }), ...TRANSPORT_FAULT_SCHEMAS]),
  { path: z.string().optional() },
);
export type TestRule = z.infer<typeof TestRuleSchema>;
export type TestRuleInput = z.input<typeof TestRuleSchema>;

/** A book of those rules, targets compared as `normalise` maps them. */
export function testFaultBook(normalise?: (path: string) => string): FaultBook<TestRule, TestRuleInput> {
  return new FaultBook({ schema: TestRuleSchema, target: (rule) => rule.path, ...(normalise ? { normalise } : {}) });
}
