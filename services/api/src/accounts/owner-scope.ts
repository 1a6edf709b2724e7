import type { OwnerScope } from '@importer/db';
import type { Caller } from './caller.js';

/**
 * Whose jobs a caller may read and act on: their own; an administrator any job by id, and everyone's in the list only
 * when asking for all (so their own list stays their own).
 */
export function jobScope(caller: Caller, options: { all?: boolean } = { all: true }): OwnerScope {
  return caller.account.role === 'admin' && options.all ? { anyOwner: true } : { ownerId: caller.account.id };
}
