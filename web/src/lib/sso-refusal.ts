import { SSO_REFUSAL_FALLBACK, SSO_REFUSAL_TEXT } from '@importer/contracts';

/** What the sign-in page says for the `?error=` code a refused single sign-on came back with; never words from the link. */
export function ssoRefusal(code: unknown): string | null {
  if (typeof code !== 'string' || !code) return null;
  return SSO_REFUSAL_TEXT[code] ?? SSO_REFUSAL_FALLBACK;
}
