/**
 * Control characters (Unicode Cc) other than tab and line feed, and UTF-16 halves without their pair. PostgreSQL
 * `text` refuses only NUL, but the rest in a name or path can rewrite a terminal or a log line when shown.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's one job
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** What stands where an unsafe character was: the Unicode replacement character. */
export const REPLACEMENT_CHARACTER = '\ufffd';

/**
 * Text as PostgreSQL can store it and a person can safely be shown it: NUL and other control characters (tab and
 * line feed kept) and lone surrogates become U+FFFD. Every name, path, reason and URL line is written through this,
 * whichever source it came from (Drive and Dropbox names hold anything, URLs decode to anything).
 */
export function storableText(text: string): string {
  return text.replace(UNSAFE, REPLACEMENT_CHARACTER);
}

/** storableText for a column that may be null. */
export function storableOrNull(text: string | null | undefined): string | null {
  return text === null || text === undefined ? null : storableText(text);
}
