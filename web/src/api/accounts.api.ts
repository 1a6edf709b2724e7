import { z } from 'zod';
import {
  AccountV1,
  ApiKeyListV1,
  type AuthStatus,
  AuthStatusV1,
  CreatedApiKeyV1,
  PasswordChangedV1,
  SignedInV1,
  WebhookSecretV1,
} from '@importer/contracts';
import { type HttpClient, jsonBody } from './http-client.js';

/** An email and a password, as the sign-in, sign-up and setup forms send them. */
export interface Credentials {
  email: string;
  password: string;
}

export type SignedIn = z.infer<typeof SignedInV1>;
export type ApiKeyList = z.infer<typeof ApiKeyListV1>;
export type CreatedApiKey = z.infer<typeof CreatedApiKeyV1>;
export type PasswordChanged = z.infer<typeof PasswordChangedV1>;
export type WebhookSecret = z.infer<typeof WebhookSecretV1>;

/** `GET /account` answers the user as a sign-in does. */
const AccountAnswer = z.object({ user: AccountV1 });

/** Signing in and out, and what a signed-in user manages of their own account. */
export interface AccountsApi {
  /** Open to anyone: whether setup is due, who may sign up, the OIDC button, and who is signed in. */
  status(): Promise<AuthStatus>;
  /** Creates the first administrator and signs them in; only while setup is required (else 409 `setup_done`). */
  setup(credentials: Credentials): Promise<SignedIn>;
  signIn(credentials: Credentials): Promise<SignedIn>;
  signUp(credentials: Credentials): Promise<SignedIn>;
  signOut(): Promise<void>;
  /** Where the browser goes, with a full page load, to sign in through OIDC: `start_path` under the API's base. */
  oidcStartUrl(startPath: string): string;
  me(): Promise<SignedIn>;
  changePassword(currentPassword: string, newPassword: string): Promise<PasswordChanged>;
  listApiKeys(): Promise<ApiKeyList>;
  /** The new key comes back this once; the API keeps only its hash. */
  createApiKey(name: string): Promise<CreatedApiKey>;
  revokeApiKey(keyId: string): Promise<void>;
  webhookSecret(): Promise<WebhookSecret>;
  /** A new secret at once: deliveries signed with it fail at receivers that still check the old one. */
  rotateWebhookSecret(): Promise<WebhookSecret>;
}

export function accountsApi(http: HttpClient): AccountsApi {
  const post = { method: 'POST' };
  return {
    status: () => http.request(AuthStatusV1, '/auth/status'),
    setup: (credentials) => http.request(SignedInV1, '/auth/setup', jsonBody(credentials)),
    signIn: (credentials) => http.request(SignedInV1, '/auth/sign-in', jsonBody(credentials)),
    signUp: (credentials) => http.request(SignedInV1, '/auth/sign-up', jsonBody(credentials)),
    signOut: () => http.send('/auth/sign-out', post),
    oidcStartUrl: (startPath) => http.url(startPath),
    me: () => http.request(AccountAnswer, '/account'),
    changePassword: (currentPassword, newPassword) =>
      http.request(PasswordChangedV1, '/account/password', jsonBody({ current_password: currentPassword, new_password: newPassword })),
    listApiKeys: () => http.request(ApiKeyListV1, '/account/api-keys'),
    createApiKey: (name) => http.request(CreatedApiKeyV1, '/account/api-keys', jsonBody({ name })),
    revokeApiKey: (keyId) => http.send(`/account/api-keys/${encodeURIComponent(keyId)}/revoke`, post),
    webhookSecret: () => http.request(WebhookSecretV1, '/account/webhook-secret'),
    rotateWebhookSecret: () => http.request(WebhookSecretV1, '/account/webhook-secret/rotate', post),
  };
}
