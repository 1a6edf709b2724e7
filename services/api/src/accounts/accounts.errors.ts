/**
 * Why an account operation was refused, for the routes to answer with (ACCOUNT_ERROR_STATUS maps them).
 */
export type AccountErrorCode =
  | 'setup_done'
  | 'setup_required'
  | 'sign_up_closed'
  | 'cannot_disable_self'
  | 'email_taken'
  | 'invalid_email'
  | 'invalid_password'
  | 'invalid_api_key_name'
  | 'invalid_credentials'
  | 'account_disabled'
  | 'user_not_found'
  | 'api_key_not_found';

/** A refusal with a stable code for programs and a message for people; never carries a password, hash or token. */
export class AccountError extends Error {
  override readonly name = 'AccountError';
  constructor(
    readonly code: AccountErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The HTTP status of each refusal: conflicts 409, a body to fix 400, wrong credentials 401, refusals 403 (a disabled
 * account is told so only to someone who gave the right password), unknown ids 404.
 */
export const ACCOUNT_ERROR_STATUS: Readonly<Record<AccountErrorCode, number>> = {
  setup_done: 409,
  setup_required: 409,
  email_taken: 409,
  cannot_disable_self: 409,
  invalid_email: 400,
  invalid_password: 400,
  invalid_api_key_name: 400,
  invalid_credentials: 401,
  account_disabled: 403,
  sign_up_closed: 403,
  user_not_found: 404,
  api_key_not_found: 404,
};
