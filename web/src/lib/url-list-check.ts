import { MAX_URLS_PER_IMPORT } from '@importer/contracts';

export type UrlListCheck =
  | { state: 'empty' }
  | { state: 'valid'; urls: string[] }
  | { state: 'invalid'; message: string };

const shorten = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}...` : text);

/** One http(s) URL per line, blank lines ignored; the first line that is not one is named, as the API would. */
export function checkUrlList(text: string): UrlListCheck {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  const urls: string[] = [];
  for (const [index, line] of lines.entries()) {
    if (line === '') continue;
    const url = URL.canParse(line) ? new URL(line) : null;
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      return { state: 'invalid', message: `Line ${index + 1} is not an http or https URL: "${shorten(line)}".` };
    }
    urls.push(line);
  }
  if (urls.length === 0) return { state: 'empty' };
  if (urls.length > MAX_URLS_PER_IMPORT) {
    return { state: 'invalid', message: `${urls.length.toLocaleString('en-US')} URLs: one import takes at most ${MAX_URLS_PER_IMPORT.toLocaleString('en-US')}.` };
  }
  return { state: 'valid', urls };
}
