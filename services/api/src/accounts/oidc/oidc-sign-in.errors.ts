/**
 * Why an OIDC sign-in did not answer who signed in, for the routes to map: `oidc_unavailable` (the provider could not
 * be reached or described, 503), `oidc_rejected` (the provider said no: the user cancelled, or the code was refused),
 * `oidc_state_mismatch` and `oidc_bad_pending` (the callback does not belong to the sign-in this browser started: start
 * again), `oidc_invalid_response` (the provider's answer failed a check: ID token signature, nonce, issuer, subject),
 * `oidc_insecure_issuer` (a plain-http issuer off this machine, refused at construction).
 */
export type OidcSignInErrorCode =
  | 'oidc_unavailable'
  | 'oidc_rejected'
  | 'oidc_state_mismatch'
  | 'oidc_bad_pending'
  | 'oidc_invalid_response'
  | 'oidc_insecure_issuer';

/** A failed OIDC sign-in with a stable code; never carries a code, token, verifier or secret. */
export class OidcSignInError extends Error {
  override readonly name = 'OidcSignInError';
  constructor(
    readonly code: OidcSignInErrorCode,
    message: string,
    /** For `oidc_rejected`: the provider's own words (its error code and description), as plain text and truncated. */
    readonly providerDescription: string | null = null,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Longest piece of a provider's own words kept in an error. */
const PROVIDER_TEXT_MAX_CHARS = 200;

/** A provider's error code or description as plain text: letters, digits, punctuation and spaces only, truncated. */
export function providerText(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const plain = value.replace(/[^\p{L}\p{N}\p{P}\p{Zs}]+/gu, ' ').replace(/\s+/g, ' ').trim();
  if (!plain) return null;
  return plain.length > PROVIDER_TEXT_MAX_CHARS ? `${plain.slice(0, PROVIDER_TEXT_MAX_CHARS - 1)}…` : plain;
}
