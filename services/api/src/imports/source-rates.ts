import { SOURCE_CATALOGUE, type SourceKind, SourceKindSchema, type SourceRateSetting } from '@importer/contracts';
import type { ApiConfig } from '../config.js';

/** The rates config.ts parses, by the setting each is read from. */
type RateConfig = Pick<ApiConfig, 'googleRequestsPerSecond' | 'dropboxRequestsPerSecond' | 'urlRequestsPerSecond'>;

/**
 * Each source's requests per second for the whole deployment, read from the setting its catalogue entry names: what
 * its RequestQuota actor leases. A catalogue entry whose setting is not mapped here does not compile.
 */
export function sourceRates(config: RateConfig): Readonly<Record<SourceKind, number>> {
  const bySetting: Record<SourceRateSetting, number> = {
    GOOGLE_REQUESTS_PER_SECOND: config.googleRequestsPerSecond,
    DROPBOX_REQUESTS_PER_SECOND: config.dropboxRequestsPerSecond,
    URL_REQUESTS_PER_SECOND: config.urlRequestsPerSecond,
  };
  return Object.freeze(Object.fromEntries(SourceKindSchema.options.map((kind) => [kind, bySetting[SOURCE_CATALOGUE[kind].rateSetting]])) as Record<SourceKind, number>);
}
