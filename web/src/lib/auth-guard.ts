import type { LocationQuery, RouteLocationRaw } from 'vue-router';
import type { AuthStatus } from '@importer/contracts';

/**
 * Who may open a page, from its route's `meta.access`: `setup` only while the first administrator is missing,
 * `guest` only signed out (sign-in, sign-up), `user` (the default) anyone signed in, `admin` administrators.
 */
export type PageAccess = 'setup' | 'guest' | 'user' | 'admin';

/** What the guard reads of the place the browser is going. */
export interface GuardTarget {
  name?: string | symbol | null | undefined;
  fullPath: string;
  query: LocationQuery;
  meta: { access?: PageAccess | undefined };
}

/** A `next` worth going back to: a path inside this app, never another site (`//host`, `/\host`). */
export function safeNextPath(next: unknown): string | undefined {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return undefined;
  return next;
}

/** The sign-in page, asked to come back to `fullPath` afterwards (the home page needs no asking). */
export function signInFor(fullPath: string): RouteLocationRaw {
  return fullPath === '/' ? { name: 'sign-in' } : { name: 'sign-in', query: { next: fullPath } };
}

/** Where a navigation to `to` must go instead, given who is signed in; undefined lets it through. */
export function authRedirect(to: GuardTarget, status: AuthStatus): RouteLocationRaw | undefined {
  const access = to.meta.access ?? 'user';
  if (status.setup_required) return access === 'setup' ? undefined : { name: 'setup' };
  if (!status.user) {
    if (access === 'setup') return { name: 'sign-in' };
    if (access === 'guest') return to.name === 'sign-up' && status.sign_up === 'closed' ? { name: 'sign-in', query: to.query } : undefined;
    return signInFor(to.fullPath);
  }
  if (access === 'setup' || access === 'guest') return safeNextPath(to.query.next) ?? '/';
  if (access === 'admin' && status.user.role !== 'admin') return '/';
  return undefined;
}
