/** Whose rows a read may see: one user's, or every owner's (an administrator's view of jobs). */
export type OwnerScope = { ownerId: string } | { anyOwner: true };

/**
 * The SQL condition that keeps `column` to the scope, its owner pushed onto `params` as a bound parameter. Only an
 * explicit `anyOwner: true` sees every owner, so a scope that lost its owner on the way sees nothing rather than everything.
 */
export function ownerCondition(scope: OwnerScope, column: string, params: unknown[]): string {
  if ('ownerId' in scope) return `${column} = $${params.push(scope.ownerId)}`;
  return scope.anyOwner === true ? 'TRUE' : 'FALSE';
}

/** `column` holds exactly `ownerId`, null included (rows nobody owns yet); not IS NOT DISTINCT FROM, which no index serves. */
export function sameOwner(column: string, ownerId: string | null, params: unknown[]): string {
  return ownerId === null ? `${column} IS NULL` : `${column} = $${params.push(ownerId)}`;
}
