import { SOURCE_CATALOGUE, SOURCE_ENTRIES, SOURCE_KINDS, type SourceKind, type SourceRateSetting } from '@importer/contracts';
import { z } from 'zod';

/**
 * Each source's requests per second for the whole deployment, shared by every replica: one variable per catalogue
 * entry, named by its `rateSetting`, defaulting to its `defaultRequestsPerSecond`.
 */
export const SourceRatesEnvSchema = z.object(
  Object.fromEntries(SOURCE_ENTRIES.map((entry) => [entry.rateSetting, z.coerce.number().positive().default(entry.defaultRequestsPerSecond)])) as Record<
    SourceRateSetting,
    z.ZodDefault<z.ZodCoercedNumber>
  >,
);

/** The rate each source's RequestQuota actor leases, read from the setting its catalogue entry names. */
export function sourceRates(e: z.infer<typeof SourceRatesEnvSchema>): Readonly<Record<SourceKind, number>> {
  return Object.freeze(Object.fromEntries(SOURCE_KINDS.map((kind) => [kind, e[SOURCE_CATALOGUE[kind].rateSetting]])) as Record<SourceKind, number>);
}
