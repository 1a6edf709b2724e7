import { describe, expect, it } from 'vitest';
import { account, admin, authStatus } from '../test-support/fake-api.js';
import { authRedirect, type GuardTarget, type PageAccess, safeNextPath } from './auth-guard.js';

const to = (fullPath: string, access?: PageAccess, name?: string): GuardTarget => {
  const url = new URL(fullPath, 'http://app.test');
  return { name, fullPath, query: Object.fromEntries(url.searchParams), meta: { access } };
};
const signedOut = authStatus();
const user = authStatus({ user: account() });

describe('where a navigation goes', () => {
  it('goes to setup from everywhere while the first administrator is missing, and lets setup through', () => {
    const status = authStatus({ setup_required: true });
    expect(authRedirect(to('/jobs'), status)).toEqual({ name: 'setup' });
    expect(authRedirect(to('/sign-in', 'guest', 'sign-in'), status)).toEqual({ name: 'setup' });
    expect(authRedirect(to('/admin/users', 'admin'), status)).toEqual({ name: 'setup' });
    expect(authRedirect(to('/setup', 'setup', 'setup'), status)).toBeUndefined();
  });

  it('sends a signed-out visitor to sign-in, asking to come back to where they were going', () => {
    expect(authRedirect(to('/jobs/abc?x=1'), signedOut)).toEqual({ name: 'sign-in', query: { next: '/jobs/abc?x=1' } });
    expect(authRedirect(to('/admin/users', 'admin'), signedOut)).toEqual({ name: 'sign-in', query: { next: '/admin/users' } });
    expect(authRedirect(to('/'), signedOut)).toEqual({ name: 'sign-in' });
    expect(authRedirect(to('/setup', 'setup', 'setup'), signedOut)).toEqual({ name: 'sign-in' });
  });

  it('lets a signed-out visitor sign in, and sign up only while sign-up is open', () => {
    expect(authRedirect(to('/sign-in?next=/jobs', 'guest', 'sign-in'), signedOut)).toBeUndefined();
    expect(authRedirect(to('/sign-up', 'guest', 'sign-up'), authStatus({ sign_up: 'open' }))).toBeUndefined();
    expect(authRedirect(to('/sign-up?next=/gallery', 'guest', 'sign-up'), signedOut)).toEqual({ name: 'sign-in', query: { next: '/gallery' } });
  });

  it('sends someone signed in away from sign-in and setup: home, or where they were asked to go back to', () => {
    expect(authRedirect(to('/sign-in', 'guest', 'sign-in'), user)).toBe('/');
    expect(authRedirect(to('/setup', 'setup', 'setup'), user)).toBe('/');
    expect(authRedirect(to('/sign-in?next=%2Fgallery', 'guest', 'sign-in'), user)).toBe('/gallery');
    expect(authRedirect(to('/sign-in?next=//evil.example', 'guest', 'sign-in'), user)).toBe('/');
  });

  it("lets a user through to their pages, and only an administrator to an administrator's", () => {
    expect(authRedirect(to('/jobs'), user)).toBeUndefined();
    expect(authRedirect(to('/account'), user)).toBeUndefined();
    expect(authRedirect(to('/admin/users', 'admin'), user)).toBe('/');
    expect(authRedirect(to('/admin/users', 'admin'), authStatus({ user: admin() }))).toBeUndefined();
  });
});

describe('a next path', () => {
  it('is a path inside the app, never another site or something else', () => {
    expect(safeNextPath('/jobs?all=true')).toBe('/jobs?all=true');
    for (const next of ['//evil.example/x', '/\\evil.example', 'https://evil.example', 'jobs', '', undefined, ['/jobs'], null]) expect(safeNextPath(next)).toBeUndefined();
  });
});
