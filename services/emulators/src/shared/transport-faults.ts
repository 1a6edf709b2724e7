import { z } from 'zod';

/** The connection is dropped before any byte of the answer. */
export const ResetFaultSchema = z.object({ type: z.literal('reset') });

/** Waits, then answers normally. */
export const DelayFaultSchema = z.object({ type: z.literal('delay'), ms: z.number().int().nonnegative() });

/** Status, headers and `afterBytes` of the body (default: half), then the connection is dropped. */
export const ResetMidBodyFaultSchema = z.object({ type: z.literal('resetMidBody'), afterBytes: z.number().int().nonnegative().optional() });

/** The whole body with its last byte changed, so it no longer matches its checksum. */
export const CorruptFaultSchema = z.object({ type: z.literal('corrupt') });

/** Faults of the connection and the body, the same for every emulator; each adds its own error answers to these. */
export const TRANSPORT_FAULT_SCHEMAS = [ResetFaultSchema, DelayFaultSchema, ResetMidBodyFaultSchema, CorruptFaultSchema] as const;

export type ResetFault = z.infer<typeof ResetFaultSchema>;
export type DelayFault = z.infer<typeof DelayFaultSchema>;
/** A fault the body sender carries out: cut or corrupt the bytes after the headers. */
export type BodyFault = z.infer<typeof ResetMidBodyFaultSchema> | z.infer<typeof CorruptFaultSchema>;
export type TransportFault = ResetFault | DelayFault | BodyFault;

const TRANSPORT_TYPES: ReadonlySet<string> = new Set(TRANSPORT_FAULT_SCHEMAS.map((schema) => schema.shape.type.value));

/** Whether a scripted answer is one of the shared transport faults rather than an emulator's own error answer. */
export function isTransportFault(fault: { type: string }): fault is TransportFault {
  return TRANSPORT_TYPES.has(fault.type);
}

/** Whether a transport fault is for the body sender (it answers normally, then cuts or corrupts). */
export function isBodyFault(fault: TransportFault): fault is BodyFault {
  return fault.type === 'resetMidBody' || fault.type === 'corrupt';
}
