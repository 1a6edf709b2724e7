import { z } from 'zod';

/** The longest email stored (RFC 5321's path limit), the password lengths taken, the longest API key name. */
export const EMAIL_MAX_LENGTH = 254;
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
export const API_KEY_NAME_MAX_LENGTH = 100;

/** The cookie that carries a browser's session token: HttpOnly, SameSite=Lax, Secure under https. */
export const SESSION_COOKIE = 'importer_session';

/** Who may create an account: `closed`, only an administrator adds people; `open`, anyone may sign up (with quotas). */
export const SignUpPolicySchema = z.enum(['closed', 'open']);
export type SignUpPolicy = z.infer<typeof SignUpPolicySchema>;

export const UserRoleSchema = z.enum(['admin', 'user']);
export type UserRoleName = z.infer<typeof UserRoleSchema>;

/** A user as the API shows them: never a password hash, only whether there is a password. */
export const AccountV1 = z.object({
  id: z.uuid(),
  email: z.string(),
  role: UserRoleSchema,
  has_password: z.boolean(),
  disabled_at: z.iso.datetime().nullable(),
  created_at: z.iso.datetime(),
});
export type AccountBody = z.infer<typeof AccountV1>;

/** `GET /auth/status`, open to anyone: what the web app needs before it knows who is there. */
export const AuthStatusV1 = z.object({
  /** True until the first administrator exists; then only `POST /auth/setup` does anything. */
  setup_required: z.boolean(),
  sign_up: SignUpPolicySchema,
  /** Present when OIDC sign-in is configured: the button's label and where it starts. */
  oidc: z.object({ label: z.string(), start_path: z.string() }).nullable(),
  /** The signed-in user, or null. */
  user: AccountV1.nullable(),
});
export type AuthStatus = z.infer<typeof AuthStatusV1>;

const EmailField = z.string().max(EMAIL_MAX_LENGTH, `email is longer than ${EMAIL_MAX_LENGTH} characters`).min(1, 'email is required');
const PasswordField = z.string().max(PASSWORD_MAX_LENGTH, `password is longer than ${PASSWORD_MAX_LENGTH} characters`);

/** `POST /auth/sign-in`, `POST /auth/setup` and `POST /auth/sign-up`. */
export const CredentialsRequestV1 = z.object({ email: EmailField, password: PasswordField.min(1, 'password is required') });

/** The answer to a sign-in, setup or sign-up: the user, with the session in a Set-Cookie header. */
export const SignedInV1 = z.object({ user: AccountV1 });

/** `POST /account/password`. */
export const ChangePasswordRequestV1 = z.object({ current_password: PasswordField, new_password: PasswordField });
export const PasswordChangedV1 = z.object({ sessions_ended: z.number().int().min(0) });

/** An API key as listed: never the key, only the prefix it starts with. */
export const ApiKeyV1 = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  created_at: z.iso.datetime(),
  last_used_at: z.iso.datetime().nullable(),
});
export type ApiKeyBody = z.infer<typeof ApiKeyV1>;

export const ApiKeyListV1 = z.object({ api_keys: z.array(ApiKeyV1) });
export const CreateApiKeyRequestV1 = z.object({ name: z.string().max(API_KEY_NAME_MAX_LENGTH, `name is longer than ${API_KEY_NAME_MAX_LENGTH} characters`) });
/** The 201 of a new key: `key` is shown this once and stored only as its hash. */
export const CreatedApiKeyV1 = z.object({ key: z.string().startsWith('imp_'), api_key: ApiKeyV1 });

/** `GET /account/webhook-secret` and its rotation: the Standard Webhooks secret that signs every delivery of the user's jobs. */
export const WebhookSecretV1 = z.object({ webhook_secret: z.string().startsWith('whsec_') });

/** `GET /admin/users`. */
export const UserListV1 = z.object({ users: z.array(AccountV1) });
/** `POST /admin/users`: an administrator adds someone. */
export const CreateUserRequestV1 = z.object({ email: EmailField, password: PasswordField, role: UserRoleSchema.default('user') });

/**
 * Why a single sign-on came back without a session, by the code the callback puts in the sign-in page's `?error=`:
 * fixed texts, so a crafted link never puts words of its own on the page. Account refusals carry their own messages
 * over the API; the page shows these for every code.
 */
export const SSO_REFUSAL_TEXT: Readonly<Record<string, string>> = {
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

/** The text for a code no entry names. */
export const SSO_REFUSAL_FALLBACK = 'Single sign-on failed; start again.';
