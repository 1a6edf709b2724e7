import { StringDecoder } from 'node:string_decoder';
import { MAX_URL_LINE_LENGTH } from '@importer/contracts';
import { ApiError } from '../http/api-error.js';

/** The refusal of a row longer than the cap: the request ends there, before any job exists. */
function lineTooLong(line: number, limit: number): ApiError {
  return new ApiError(413, 'line_too_long', `Line ${line} of the CSV is longer than ${limit} characters, the most one line may have; no job was created.`);
}

/**
 * Rows of CSV text as it streams in (RFC 4180: quoted fields with "" escapes and line breaks inside quotes;
 * CRLF, LF or CR line ends; a BOM ignored). Holds one row at a time, whatever the file's size: a row longer than
 * `maxLineLength` characters (line ends aside) throws a 413 ApiError naming the line it starts on.
 */
export async function* csvRows(chunks: AsyncIterable<Buffer | string>, maxLineLength: number = MAX_URL_LINE_LENGTH): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  // 'field': plain text; 'quoted': inside quotes; 'quote': a quote seen inside quotes, meaning decided by the next character.
  let state: 'field' | 'quoted' | 'quote' = 'field';
  let field = '';
  let row: string[] = [];
  let first = true;
  let afterCr = false;
  // Physical lines, for people: a row with a quoted line break spans several, and is named by its first.
  let line = 1;
  let previous = '';
  let rowLine = 1;
  let rowLength = 0;
  const endRow = () => {
    row.push(field);
    const out = row;
    field = '';
    row = [];
    rowLine = line;
    rowLength = 0;
    return out;
  };
  for await (const chunk of chunks) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    for (const c of text) {
      if (c === '\r' || (c === '\n' && previous !== '\r')) line += 1;
      previous = c;
      if (afterCr) {
        afterCr = false;
        if (c === '\n') continue;
      }
      const endsRow = state !== 'quoted' && (c === '\n' || c === '\r');
      if (!endsRow && ++rowLength > maxLineLength) throw lineTooLong(rowLine, maxLineLength);
      if (state === 'quoted') {
        if (c === '"') state = 'quote';
        else field += c;
        continue;
      }
      if (state === 'quote') {
        state = 'field';
        if (c === '"') {
          field += '"';
          state = 'quoted';
          continue;
        }
      }
      if (c === '"' && field === '') state = 'quoted';
      else if (c === ',') {
        row.push(field);
        field = '';
      } else if (c === '\n' || c === '\r') {
        afterCr = c === '\r';
        yield endRow();
      } else field += c;
    }
  }
  field += decoder.end();
  if (field !== '' || row.length > 0) yield endRow();
}

const LOOKS_LIKE_URL = /^\s*https?:\/\//i;
const URL_HEADER = /^\s*(image[ _-]?)?(url|uri|link|href|src|source)s?\s*$/i;

/**
 * The URLs of a CSV list, a row at a time: the header is optional (a first row with no URL in it is one), and the
 * URL column is the one the header names (url, image_url, link, src, ...) or else the first whose value is a URL.
 * Blank lines are dropped; every other row yields its cell, URL or not, so each line gets its own outcome.
 */
export async function* urlsFromCsv(rows: AsyncIterable<string[]>): AsyncGenerator<string> {
  let column: number | undefined;
  let headerChecked = false;
  for await (const row of rows) {
    if (row.every((cell) => cell.trim() === '')) continue;
    if (!headerChecked) {
      headerChecked = true;
      if (!row.some((cell) => LOOKS_LIKE_URL.test(cell))) {
        const named = row.findIndex((cell) => URL_HEADER.test(cell));
        column = named >= 0 ? named : undefined;
        continue;
      }
    }
    column ??= Math.max(0, row.findIndex((cell) => LOOKS_LIKE_URL.test(cell)));
    yield (row[column] ?? '').trim();
  }
}
