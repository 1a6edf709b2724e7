import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { issuerUrlProblem } from './oidc-issuer.js';
import type { OidcSettings } from './oidc-sign-in.js';

/** RFC 6749 §3.3: a scope token is printable ASCII without space, `"` or `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** OIDC sign-in's variables, for the api's env schema to extend; without OIDC_ISSUER_URL the option is off. */
export const OidcEnvSchema = z.object({
  /** The provider's issuer, e.g. https://accounts.google.com or https://keycloak.example/realms/importer; http only on a loopback host. */
  OIDC_ISSUER_URL: z.url().optional(),
  /** The client id registered at the provider for this deployment. */
  OIDC_CLIENT_ID: z.string().trim().min(1).optional(),
  /** The client secret, or OIDC_CLIENT_SECRET_FILE: a file holding it (a mounted secret), read once at startup. */
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET_FILE: z.string().min(1).optional(),
  /** The sign-in button's text. */
  OIDC_LABEL: z.string().trim().min(1).max(60).default('Sign in with SSO'),
  /** Space-separated scopes asked for; must include openid. */
  OIDC_SCOPES: z
    .string()
    .trim()
    .transform((scopes) => scopes.split(/\s+/).join(' '))
    .default('openid email profile'),
});

export type OidcEnv = z.infer<typeof OidcEnvSchema>;

/** The checks across OIDC's variables, reported with the service's other bad keys. */
export function refineOidcEnv(e: OidcEnv, ctx: z.RefinementCtx): void {
  const scopes = e.OIDC_SCOPES.split(' ');
  if (!scopes.every((scope) => SCOPE_TOKEN.test(scope))) ctx.addIssue({ code: 'custom', path: ['OIDC_SCOPES'], message: 'holds a character a scope cannot have' });
  if (!e.OIDC_ISSUER_URL) return;
  // Refinements run even when a key failed its own check: a value that is no URL is already reported.
  const problem = URL.canParse(e.OIDC_ISSUER_URL) ? issuerUrlProblem(e.OIDC_ISSUER_URL) : undefined;
  if (problem) ctx.addIssue({ code: 'custom', path: ['OIDC_ISSUER_URL'], message: problem });
  // `=== undefined`: an empty value is already reported as too short.
  if (e.OIDC_CLIENT_ID === undefined) ctx.addIssue({ code: 'custom', path: ['OIDC_CLIENT_ID'], message: 'is required when OIDC_ISSUER_URL is set' });
  if (e.OIDC_CLIENT_SECRET === undefined && e.OIDC_CLIENT_SECRET_FILE === undefined) {
    ctx.addIssue({ code: 'custom', path: ['OIDC_CLIENT_SECRET'], message: 'OIDC_CLIENT_SECRET or OIDC_CLIENT_SECRET_FILE is required when OIDC_ISSUER_URL is set' });
  }
  if (e.OIDC_CLIENT_SECRET !== undefined && e.OIDC_CLIENT_SECRET_FILE !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['OIDC_CLIENT_SECRET_FILE'], message: 'set OIDC_CLIENT_SECRET or OIDC_CLIENT_SECRET_FILE, not both' });
  }
  if (!scopes.includes('openid')) ctx.addIssue({ code: 'custom', path: ['OIDC_SCOPES'], message: 'must include openid' });
}

/**
 * OIDC sign-in's settings, or null when OIDC_ISSUER_URL is unset; reads OIDC_CLIENT_SECRET_FILE, so call it once, at
 * startup, after the schema and refineOidcEnv passed.
 */
export function oidcSettings(e: OidcEnv, readSecretFile: (path: string) => string = (path) => readFileSync(path, 'utf8')): OidcSettings | null {
  if (!e.OIDC_ISSUER_URL) return null;
  if (!e.OIDC_CLIENT_ID) throw new Error('OIDC_CLIENT_ID is required when OIDC_ISSUER_URL is set');
  return {
    issuerUrl: e.OIDC_ISSUER_URL,
    clientId: e.OIDC_CLIENT_ID,
    clientSecret: e.OIDC_CLIENT_SECRET ?? secretFromFile(e.OIDC_CLIENT_SECRET_FILE, readSecretFile),
    label: e.OIDC_LABEL,
    scopes: e.OIDC_SCOPES,
  };
}

function secretFromFile(path: string | undefined, read: (path: string) => string): string {
  if (!path) throw new Error('OIDC_CLIENT_SECRET or OIDC_CLIENT_SECRET_FILE is required when OIDC_ISSUER_URL is set');
  let secret: string;
  try {
    // Mounted secrets often end in a newline that is no part of the secret.
    secret = read(path).trim();
  } catch (error) {
    throw new Error(`OIDC_CLIENT_SECRET_FILE ${path} cannot be read: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (!secret) throw new Error(`OIDC_CLIENT_SECRET_FILE ${path} is empty`);
  return secret;
}
