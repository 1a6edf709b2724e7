import type { Request } from 'express';
import type { DriveItem } from './drive-model.js';
import { DriveRejection } from './drive-responses.js';
import { googleError } from './google-errors.js';

/** API keys accepted; `'any'` accepts every non-empty key. */
export type ApiKeys = 'any' | readonly string[];

/** Refuses a request without an API key (403 forbidden) or with one outside the accepted set (400 keyInvalid). */
export function checkApiKey(apiKeys: ApiKeys, req: Request): void {
  const key = typeof req.query.key === 'string' ? req.query.key : undefined;
  if (!key) throw new DriveRejection(googleError({ reason: 'forbidden' }));
  if (apiKeys !== 'any' && !apiKeys.includes(key)) throw new DriveRejection(googleError({ reason: 'keyInvalid' }));
}

/** Whether an API-key caller sending these resource keys may reach the item directly. */
export function reachable(item: DriveItem | undefined, keys: Map<string, string>, allDrives: boolean): item is DriveItem {
  return item !== undefined && !item.private && (!item.resourceKey || keys.get(item.id) === item.resourceKey) && (!item.driveId || allDrives);
}
