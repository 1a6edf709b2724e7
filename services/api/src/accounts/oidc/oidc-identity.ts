import { z } from 'zod';

/** Who signed in, as the provider vouches for them: the account is linked by issuer and subject, never by email alone. */
export interface OidcIdentity {
  /** The issuer that signed the ID token (its `iss`). */
  issuer: string;
  /** The user's stable id at that issuer (its `sub`). */
  subject: string;
  email: string | null;
  /** True only when the provider says it checked the address; an unverified one must not be matched to an existing account. */
  emailVerified: boolean;
  name: string | null;
}

/** Longest display name kept; a longer one is cut. */
const NAME_MAX_CHARS = 200;

const text = (max: number) => z.string().trim().min(1).max(max);

/** The profile claims read from an ID token or a userinfo answer; a malformed claim counts as absent. */
const ProfileClaimsSchema = z.object({
  email: text(320).pipe(z.email()).optional().catch(undefined),
  // Some providers (older Cognito, some Authentik mappings) send the flag as a string.
  email_verified: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((flag) => flag === 'true')])
    .optional()
    .catch(undefined),
  name: z.string().trim().min(1).transform((name) => name.slice(0, NAME_MAX_CHARS)).optional().catch(undefined),
  preferred_username: z.string().trim().min(1).transform((name) => name.slice(0, NAME_MAX_CHARS)).optional().catch(undefined),
});

type ProfileClaims = z.infer<typeof ProfileClaimsSchema>;

/** The profile claims in an ID token or userinfo answer. */
export function profileClaims(claims: unknown): ProfileClaims {
  const parsed = ProfileClaimsSchema.safeParse(claims);
  return parsed.success ? parsed.data : {};
}

/** True when the ID token carries no usable email, so the userinfo endpoint must be asked. */
export function needsUserinfo(idTokenClaims: unknown): boolean {
  return profileClaims(idTokenClaims).email === undefined;
}

/**
 * The identity from checked ID token claims and, when the ID token had no email, the userinfo answer: email and its
 * verified flag come together from one of them, never mixed.
 */
export function oidcIdentity(idTokenClaims: { iss: string; sub: string; [claim: string]: unknown }, userinfo?: unknown): OidcIdentity {
  const fromIdToken = profileClaims(idTokenClaims);
  const fromUserinfo = userinfo === undefined ? {} : profileClaims(userinfo);
  const emailSource = fromIdToken.email !== undefined ? fromIdToken : fromUserinfo;
  const name = fromIdToken.name ?? fromUserinfo.name ?? fromIdToken.preferred_username ?? fromUserinfo.preferred_username;
  return {
    issuer: idTokenClaims.iss,
    subject: idTokenClaims.sub,
    email: emailSource.email ?? null,
    emailVerified: emailSource.email !== undefined && emailSource.email_verified === true,
    name: name ?? null,
  };
}
