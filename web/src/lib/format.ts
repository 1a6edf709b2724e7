const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 → "1.5 KB" (powers of 1024, as file browsers show sizes). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${BYTE_UNITS[unit]}`;
}

/** 3725 → "1 h 2 min"; 42 → "42 s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min ${s % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

// Made once: toLocaleString with a locale or options builds a new ICU formatter on every call (about a millisecond,
// and native memory the garbage collector must release), and a page re-renders lists of these.
let countFormat: Intl.NumberFormat | undefined;
let dateTimeFormat: Intl.DateTimeFormat | undefined;

/** 12345 → "12,345". */
export function formatCount(n: number): string {
  countFormat ??= new Intl.NumberFormat('en-US');
  return countFormat.format(n);
}

/** An ISO timestamp in the browser's locale and time zone: "2 Dec 2026, 15:04". */
export function formatDateTime(iso: string): string {
  dateTimeFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return dateTimeFormat.format(new Date(iso));
}

/** An error of any kind as one line a person can read. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
