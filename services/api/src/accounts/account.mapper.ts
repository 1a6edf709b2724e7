import type { AccountBody, ApiKeyBody } from '@importer/contracts';
import type { ApiKeyListing } from '@importer/db';
import { ApiError } from '../http/api-error.js';
import { ACCOUNT_ERROR_STATUS, AccountError } from './accounts.errors.js';
import type { Account } from './accounts.service.js';

/** A user as the HTTP API shows them. */
export function toAccountBody(account: Account): AccountBody {
  return {
    id: account.id,
    email: account.email,
    role: account.role,
    has_password: account.hasPassword,
    disabled_at: account.disabledAt?.toISOString() ?? null,
    created_at: account.createdAt.toISOString(),
  };
}

/** An API key as listed: never the key or its hash. */
export function toApiKeyBody(key: ApiKeyListing): ApiKeyBody {
  return { id: key.id, name: key.name, prefix: key.prefix, created_at: key.createdAt.toISOString(), last_used_at: key.lastUsedAt?.toISOString() ?? null };
}

/** Runs an account operation and answers its refusal as the HTTP error its code maps to. */
export async function answeringAccountErrors<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof AccountError) throw new ApiError(ACCOUNT_ERROR_STATUS[error.code], error.code, error.message);
    throw error;
  }
}
