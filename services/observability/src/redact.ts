/** What a secret is logged as. */
export const REDACTED = '[redacted]';

// Compound names only for keys: a bare `key` is an S3 object key or a map key, worth seeing.
const SECRET_NAME = /token|secret|passw(?:or)?d|pwd|authorization|cookie|credential|signature|rlkey|(?:api|app|access|private|client|signing|secret)[-_]?key/i;
// In a query string a bare `key` or `sig` is a credential (Google's `?key=`, signed URLs).
const SECRET_QUERY_PARAMETER = /([?&][\w.-]*?(?:key|token|secret|signature|sig|passw(?:or)?d|credential|auth)[\w.-]*=)[^&#\s"'<>]+/gi;
const SECRET_ASSIGNMENT = /\b([\w-]*?(?:token|secret|passw(?:or)?d|authorization|(?:api|app|access|private|client)[-_]?key)[\w-]*)("?\s*[:=]\s*"?)(?:(?:Bearer|Basic)\s+)?(?!\[redacted\])[^\s"'&,;]+/gi;
const CREDENTIAL_SCHEME = /\b(Bearer|Basic)\s+(?!\[redacted\])[\w.~+/=-]+/g;

/** True for a field whose value is a secret by its name: tokens, API and app keys, secrets, passwords, authorization. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * The text with the secrets it carries masked: query parameters such as Dropbox's `rlkey=` or Google's `key=`,
 * `name: value` and `name=value` pairs named like a secret (`dapr-api-token: …`), and Bearer or Basic credentials.
 */
export function redactText(text: string): string {
  return text
    .replace(SECRET_QUERY_PARAMETER, `$1${REDACTED}`)
    .replace(SECRET_ASSIGNMENT, `$1$2${REDACTED}`)
    .replace(CREDENTIAL_SCHEME, `$1 ${REDACTED}`);
}
