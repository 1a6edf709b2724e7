import { describe, expect, test } from 'vitest';
import { ssoRefusal } from './sso-refusal.js';

describe('ssoRefusal', () => {
  test('a known code gets its fixed text; nothing when there is none', () => {
    expect(ssoRefusal('sign_up_closed')).toMatch(/sign-up is closed/);
    expect(ssoRefusal('oidc_bad_pending')).toMatch(/expired/);
    expect(ssoRefusal(undefined)).toBeNull();
    expect(ssoRefusal('')).toBeNull();
  });

  test('an unknown or crafted code never shows its own words', () => {
    expect(ssoRefusal('Call 555-0100 to recover your account')).toBe('Single sign-on failed; start again.');
    expect(ssoRefusal(['oidc_rejected'])).toBeNull();
  });
});
