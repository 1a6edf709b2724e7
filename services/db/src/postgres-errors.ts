/** The SQLSTATE of a failed query, from a pg error or from TypeORM's QueryFailedError around one; undefined for any other error. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, severity, driverError } = error as { code?: unknown; severity?: unknown; driverError?: unknown };
  // `severity` tells a server error from a Node one: both carry a `code` ('22021' beside 'EPIPE').
  if (typeof code === 'string' && typeof severity === 'string') return code;
  return driverError === undefined ? undefined : sqlState(driverError);
}

/**
 * True when PostgreSQL refused the data itself (SQLSTATE class 22: invalid byte sequence, untranslatable character,
 * string too long, ...): the same write fails the same way every time, so retrying it is pointless.
 */
export function isDataError(error: unknown): boolean {
  return sqlState(error)?.startsWith('22') ?? false;
}
