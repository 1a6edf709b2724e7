import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { type UserRole, type UserRow, UsersRepository } from '../../src/index.js';

/** An email no other test uses. */
export const freshEmail = (): string => `user-${randomUUID()}@example.com`;

/** A SHA-256 in hex, as sessions and API keys are stored, of a token no other test uses. */
export const freshTokenHash = (): string => createHash('sha256').update(randomBytes(32)).digest('hex');

/** A user of the test's own, so no test depends on another's rows. */
export async function freshUser(db: DataSource, options: { role?: UserRole } = {}): Promise<UserRow> {
  const user = await new UsersRepository(db).create({ email: freshEmail(), passwordHash: '$argon2id$test', role: options.role ?? 'user' });
  if (user === 'email_taken') throw new Error('a fresh email was taken');
  return user;
}
