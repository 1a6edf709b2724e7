/**
 * What the sign-in page says when single sign-on came back without a session, by the code the API put in `?error=`.
 * Fixed texts only: the page never shows words from the link itself, so a crafted link cannot put a message here.
 */
const MESSAGES: Readonly<Record<string, string>> = {
  oidc_unavailable: 'The sign-in provider is not answering; try again in a moment.',
  oidc_rejected: 'The sign-in provider did not sign you in.',
  oidc_state_mismatch: 'That sign-in expired or was started in another window; start it again.',
  oidc_bad_pending: 'That sign-in expired or was started in another window; start it again.',
  oidc_invalid_response: "The sign-in provider's answer failed a check; start again.",
  sign_up_closed: 'There is no account here for that sign-in, and sign-up is closed: ask an administrator for one.',
  email_taken: 'That sign-in is linked to another account.',
  account_disabled: 'This account is disabled; ask an administrator.',
  setup_required: 'Create the administrator account first.',
};

export function ssoRefusal(code: unknown): string | null {
  if (typeof code !== 'string' || !code) return null;
  return MESSAGES[code] ?? 'Single sign-on failed; start again.';
}
