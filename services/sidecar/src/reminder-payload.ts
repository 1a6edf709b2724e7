import type { z } from 'zod';

/**
 * Reminder state for `registerActorReminder`. On delivery the JS SDK calls `toString()` on the payload
 * daprd hands back, which turns an object into "[object Object]"; a JSON string survives the trip.
 */
export function reminderPayload(state: unknown): string {
  return JSON.stringify(state);
}

/** Reads what `receiveReminder` was given back into the schema's type (a string from `reminderPayload`, or a parsed object). */
export function readReminderPayload<T>(schema: z.ZodType<T>, data: unknown): T {
  return schema.parse(typeof data === 'string' ? JSON.parse(data) : data);
}
