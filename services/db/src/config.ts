import { z } from 'zod';

export const DbConfigSchema = z.object({
  /** PostgreSQL connection string. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://postgres@127.0.0.1:5432/importer'),
});

export type DbConfig = Readonly<{ databaseUrl: string }>;

/** Parses the database settings from an environment, reporting every bad key at once. */
export function loadDbConfig(env: NodeJS.ProcessEnv = process.env): DbConfig {
  const parsed = DbConfigSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid database configuration:\n${z.prettifyError(parsed.error)}`);
  }
  return Object.freeze({ databaseUrl: parsed.data.DATABASE_URL });
}
