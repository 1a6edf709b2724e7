import { z } from 'zod';
import { OidcSignInError } from './oidc-sign-in.errors.js';

/** Longest encoded pending value taken back: a real one is about 400 characters, a browser keeps cookies up to 4 KB. */
export const OIDC_PENDING_MAX_CHARS = 2048;

/** openid-client's random values (state, nonce, PKCE verifier) are 43 base64url characters; RFC 7636 allows up to 128. */
const RandomValueSchema = z.string().regex(/^[A-Za-z0-9_-]{43,128}$/);

/** What a started sign-in keeps in the browser until its callback: the checks the callback must pass. */
export const OidcPendingSchema = z.strictObject({
  state: RandomValueSchema,
  nonce: RandomValueSchema,
  codeVerifier: RandomValueSchema,
  /** The redirect URI the authorization request named; the token request must name the same. */
  redirectUri: z.url({ protocol: /^https?$/ }).max(1024),
});

export type OidcPending = z.infer<typeof OidcPendingSchema>;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The pending value as base64url JSON, for a cookie. */
export function encodePending(pending: OidcPending): string {
  const checked = OidcPendingSchema.safeParse(pending);
  if (!checked.success) throw new Error(`An OIDC pending value cannot hold this: ${z.prettifyError(checked.error)}`);
  const encoded = Buffer.from(JSON.stringify(checked.data), 'utf8').toString('base64url');
  if (encoded.length > OIDC_PENDING_MAX_CHARS) throw new Error('An OIDC pending value would be too long for a cookie: shorten the redirect URI');
  return encoded;
}

/** The pending value back from its cookie; anything this module did not write is `oidc_bad_pending`. */
export function decodePending(text: string): OidcPending {
  const bad = () => new OidcSignInError('oidc_bad_pending', 'This sign-in was not started here, or its record was altered: start the sign-in again');
  if (text.length === 0 || text.length > OIDC_PENDING_MAX_CHARS || !BASE64URL.test(text)) throw bad();
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  const parsed = OidcPendingSchema.safeParse(json);
  if (!parsed.success) throw bad();
  return parsed.data;
}
