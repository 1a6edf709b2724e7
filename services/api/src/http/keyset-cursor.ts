import { z } from 'zod';
import { ApiError } from './api-error.js';

/** What a cursor this API hands out decodes to: an ISO time and a row id (a UUID). */
const CursorSchema = z.tuple([z.iso.datetime(), z.uuid()]);

/** Where a newest-first page continues: the (created_at, id) of its last row, opaque to clients. */
export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): KeysetPosition {
  const invalid = new ApiError(400, 'invalid_cursor', 'cursor is not one this API handed out; start again without it.');
  if (cursor.length > 200) throw invalid;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  const parsed = CursorSchema.safeParse(decoded);
  if (!parsed.success) throw invalid;
  const [createdAt, id] = parsed.data;
  return { createdAt: new Date(createdAt), id };
}
