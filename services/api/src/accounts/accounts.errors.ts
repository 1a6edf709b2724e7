/**
 * Why an account operation was refused, for the routes to answer with (a later step maps them): `setup_done` and
 * `email_taken` are conflicts (409), `invalid_*` a body to fix (400), `invalid_credentials` 401, `account_disabled` 403
 * (told only to someone who gave the right password), `user_not_found` and `api_key_not_found` 404.
 */
export type AccountErrorCode =
  | 'setup_done'
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
