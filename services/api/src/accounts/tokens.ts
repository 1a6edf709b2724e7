import { createHash, randomBytes } from 'node:crypto';

/** Random bytes in every session token and API key: 256 bits, beyond guessing, so a plain SHA-256 is enough to store them by. */
const TOKEN_BYTES = 32;
/** Base64url length of TOKEN_BYTES, without padding. */
const TOKEN_CHARS = 43;
const TOKEN_BODY = /^[A-Za-z0-9_-]{43}$/;

/** What every API key starts with, so one is recognisable in a leak scan or a pasted config and never taken for a session token. */
export const API_KEY_PREFIX = 'imp_';
/** Characters of a key kept in the clear and shown in lists: the prefix and the first 8 random ones. */
export const API_KEY_SHOWN_CHARS = API_KEY_PREFIX.length + 8;

const randomToken = (): string => randomBytes(TOKEN_BYTES).toString('base64url');

/** A new session token for the cookie: 43 base64url characters. */
export function newSessionToken(): string {
  return randomToken();
}

/** A new API key: `imp_` and 43 base64url characters. */
export function newApiKey(): string {
  return `${API_KEY_PREFIX}${randomToken()}`;
}

/** True when the text has the shape newSessionToken makes: anything else is refused before any lookup. */
export function isSessionToken(text: string): boolean {
  return text.length === TOKEN_CHARS && TOKEN_BODY.test(text);
}

/** True when the text has the shape newApiKey makes. */
export function isApiKey(text: string): boolean {
  return text.startsWith(API_KEY_PREFIX) && isSessionToken(text.slice(API_KEY_PREFIX.length));
}

/** The part of an API key a list shows. */
export function apiKeyShownPrefix(key: string): string {
  return key.slice(0, API_KEY_SHOWN_CHARS);
}

/** What a token is stored and looked up by: SHA-256 of the whole token, in hex. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
