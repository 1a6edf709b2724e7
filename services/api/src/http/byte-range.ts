import { ApiError } from './api-error.js';

/** One range of bytes, the only form served partially: `bytes=0-99`, `bytes=100-`, `bytes=-500`. */
const SINGLE_RANGE = /^bytes=(?:\d{1,15}-\d{0,15}|-\d{1,15})$/;

/**
 * The `Range` header to pass on to storage, or undefined to serve the whole object. Several ranges, or another unit,
 * are answered whole (RFC 9110 lets a server ignore Range); a first byte past the last is a 416.
 */
export function singleByteRange(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = header.replace(/\s+/g, '');
  if (!SINGLE_RANGE.test(value)) return undefined;
  const [first, last] = value.slice('bytes='.length).split('-');
  if (first && last && Number(last) < Number(first)) throw new ApiError(416, 'range_not_satisfiable', `The range ${header} ends before it starts.`);
  return value;
}
