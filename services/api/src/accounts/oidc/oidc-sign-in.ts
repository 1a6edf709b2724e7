import * as client from 'openid-client';
import { type OidcIdentity, needsUserinfo, oidcIdentity } from './oidc-identity.js';
import { allowsPlainHttp, issuerUrlProblem } from './oidc-issuer.js';
import { decodePending, encodePending, type OidcPending } from './oidc-pending.js';
import { OidcSignInError, providerText } from './oidc-sign-in.errors.js';

export type { OidcIdentity } from './oidc-identity.js';
export { OidcSignInError, type OidcSignInErrorCode } from './oidc-sign-in.errors.js';

/** The cookie that holds a started sign-in's pending value until its callback. */
export const OIDC_PENDING_COOKIE = 'importer_oidc';
/** How long a started sign-in may take at the provider: 10 minutes. */
export const OIDC_PENDING_MAX_AGE_MS = 600_000;

/** Seconds each request to the provider may take, discovery included. */
const PROVIDER_TIMEOUT_S = 10;

/** How one OpenID Connect provider is reached (Google, Keycloak, Authentik, Dex…). */
export interface OidcSettings {
  /** The issuer identifier; its `/.well-known/openid-configuration` describes the provider. */
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  /** The sign-in button's text. */
  label: string;
  /** Space-separated scopes asked for; `openid` among them. */
  scopes: string;
}

/**
 * Attributes for the pending cookie (express's `res.cookie` takes them as they are): sent only to the callback's path,
 * SameSite=Lax because the callback is a top-level navigation from the provider's site (Strict would drop it).
 */
export function oidcPendingCookieOptions(redirectUri: string): { path: string; maxAge: number; httpOnly: true; sameSite: 'lax'; secure: boolean } {
  const url = new URL(redirectUri);
  return { path: url.pathname, maxAge: OIDC_PENDING_MAX_AGE_MS, httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:' };
}

/** The authorization code flow with PKCE, state and nonce against one provider, over openid-client. */
export class OidcSignIn {
  private readonly issuerUrl: URL;
  private configuration: Promise<client.Configuration> | undefined;

  constructor(private readonly settings: OidcSettings) {
    const problem = issuerUrlProblem(settings.issuerUrl);
    if (problem) throw new OidcSignInError('oidc_insecure_issuer', `The OIDC issuer URL ${problem}: ${settings.issuerUrl}`);
    this.issuerUrl = new URL(settings.issuerUrl);
  }

  /** The sign-in button's text. */
  get label(): string {
    return this.settings.label;
  }

  /** Where to send the browser, and the pending value to keep in a short-lived HttpOnly cookie until the callback. */
  async start(redirectUri: string): Promise<{ authorizationUrl: string; pending: string }> {
    const config = await this.discovered();
    const pending: OidcPending = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier(), redirectUri };
    const encoded = encodePending(pending);
    const authorizationUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: this.settings.scopes,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { authorizationUrl: authorizationUrl.href, pending: encoded };
  }

  /** Checks the callback (state, PKCE, nonce, ID token) and answers who signed in; throws OidcSignInError otherwise. */
  async finish(callbackUrl: URL, pending: string, redirectUri: string): Promise<OidcIdentity> {
    const started = decodePending(pending);
    if (started.redirectUri !== redirectUri) {
      throw new OidcSignInError('oidc_bad_pending', 'This sign-in was started for another address: start the sign-in again');
    }
    const params = callbackUrl.searchParams;
    if (params.get('state') !== started.state) {
      throw new OidcSignInError('oidc_state_mismatch', 'This callback belongs to another sign-in (an old tab, or a forged link): start the sign-in again');
    }
    if (params.has('error')) throw rejected(params.get('error'), params.get('error_description'));
    const config = await this.discovered();
    // The token request must name the redirect URI the browser was sent to, not the URL this process was reached at (a gateway may sit between).
    const response = new URL(started.redirectUri);
    response.search = callbackUrl.search;
    try {
      const tokens = await client.authorizationCodeGrant(config, response, {
        pkceCodeVerifier: started.codeVerifier,
        expectedState: started.state,
        expectedNonce: started.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new OidcSignInError('oidc_invalid_response', 'The identity provider answered without an ID token');
      const userinfo = needsUserinfo(claims) ? await client.fetchUserInfo(config, tokens.access_token, claims.sub) : undefined;
      return oidcIdentity(claims, userinfo);
    } catch (error) {
      throw signInError(error);
    }
  }

  /** The provider's configuration, discovered on first use; a failed discovery is forgotten so the next call tries again. */
  private discovered(): Promise<client.Configuration> {
    if (!this.configuration) {
      const attempt = this.discover();
      this.configuration = attempt;
      attempt.catch(() => {
        if (this.configuration === attempt) this.configuration = undefined;
      });
    }
    return this.configuration;
  }

  private async discover(): Promise<client.Configuration> {
    try {
      return await client.discovery(
        this.issuerUrl,
        this.settings.clientId,
        undefined,
        // RFC 6749 §2.3.1: every provider must take client_secret_basic, and it is the registration default of Keycloak, Dex and Authentik.
        client.ClientSecretBasic(this.settings.clientSecret),
        { execute: allowsPlainHttp(this.issuerUrl) ? [client.allowInsecureRequests] : [], timeout: PROVIDER_TIMEOUT_S },
      );
    } catch (error) {
      throw new OidcSignInError('oidc_unavailable', `The identity provider at ${this.issuerUrl.href} could not be reached or described: ${describe(error)}`, null, {
        cause: error,
      });
    }
  }
}

function rejected(code: unknown, description: unknown): OidcSignInError {
  const words = [providerText(code), providerText(description)].filter(Boolean).join(': ') || null;
  return new OidcSignInError('oidc_rejected', `The identity provider refused the sign-in${words ? ` (${words})` : ''}`, words);
}

/** What went wrong in the code exchange or userinfo request, as a sign-in error. */
function signInError(error: unknown): OidcSignInError {
  if (error instanceof OidcSignInError) return error;
  const options = { cause: error };
  if (error instanceof client.ResponseBodyError && error.status < 500) {
    const refusal = rejected(error.error, error.error_description);
    return new OidcSignInError('oidc_rejected', refusal.message, refusal.providerDescription, options);
  }
  if (error instanceof client.AuthorizationResponseError || error instanceof client.WWWAuthenticateChallengeError) {
    return new OidcSignInError('oidc_rejected', 'The identity provider refused the sign-in', null, options);
  }
  const code = error instanceof client.ClientError ? error.code : undefined;
  const unreachable =
    error instanceof TypeError || error instanceof client.ResponseBodyError || code === 'OAUTH_TIMEOUT' || code === 'OAUTH_ABORT' || code === 'OAUTH_RESPONSE_IS_NOT_CONFORM';
  if (unreachable) return new OidcSignInError('oidc_unavailable', `The identity provider could not complete the sign-in: ${describe(error)}`, null, options);
  return new OidcSignInError('oidc_invalid_response', `The identity provider's answer failed a check: ${describe(error)}`, null, options);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
