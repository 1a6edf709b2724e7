import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { type Api, ApiKey, ApiRequestError } from '../api/index.js';
import { useSessionStore } from '../stores/session.store.js';
import { account, authStatus, fakeApi } from '../test-support/fake-api.js';
import SignInPage from './SignInPage.vue';
import SignUpPage from './SignUpPage.vue';
import SetupPage from './SetupPage.vue';

const Empty = { template: '<div />' };

async function mountPage(page: object, path: string, api: Api) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: Empty },
      { path: '/jobs', component: Empty },
      { path: '/sign-in', name: 'sign-in', component: page },
      { path: '/sign-up', name: 'sign-up', component: page },
      { path: '/setup', name: 'setup', component: page },
    ],
  });
  const pinia = createPinia();
  await router.push(path);
  const wrapper = mount({ template: '<RouterView />' }, { global: { plugins: [pinia, router], provide: { [ApiKey as symbol]: api } }, attachTo: document.body });
  await useSessionStore(pinia).refresh();
  await flushPromises();
  return { wrapper, router };
}

describe('the sign-in page', () => {
  it('signs in with the email and password on Enter, and goes back where the person was', async () => {
    const signIn = vi.fn(async () => ({ user: account() }));
    const { wrapper, router } = await mountPage(SignInPage, '/sign-in?next=/jobs', fakeApi({ accounts: { status: async () => authStatus(), signIn } }));
    expect(wrapper.get('label[for="credentials-email"]').text()).toBe('Email');
    expect(wrapper.get('#credentials-email').attributes('autocomplete')).toBe('email');
    expect(wrapper.get('#credentials-password').attributes('autocomplete')).toBe('current-password');
    await wrapper.get('#credentials-email').setValue(' ada@example.com ');
    await wrapper.get('#credentials-password').setValue('short');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(signIn).toHaveBeenCalledWith({ email: 'ada@example.com', password: 'short' });
    expect(router.currentRoute.value.fullPath).toBe('/jobs');
    wrapper.unmount();
  });

  it("shows the API's refusal as an alert and stays", async () => {
    const refusal = new ApiRequestError(401, 'invalid_credentials', 'The email or the password is wrong.');
    const { wrapper, router } = await mountPage(SignInPage, '/sign-in', fakeApi({ accounts: { status: async () => authStatus(), signIn: () => Promise.reject(refusal) } }));
    await wrapper.get('#credentials-email').setValue('ada@example.com');
    await wrapper.get('#credentials-password').setValue('wrong');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toBe(refusal.message);
    expect(wrapper.get('[data-testid="credentials-submit"]').text()).toBe('Sign in');
    expect(router.currentRoute.value.path).toBe('/sign-in');
    wrapper.unmount();
  });

  it('offers the OIDC button and sign-up only when the server does', async () => {
    const closed = await mountPage(SignInPage, '/sign-in', fakeApi({ accounts: { status: async () => authStatus() } }));
    expect(closed.wrapper.find('[data-testid="oidc-sign-in"]').exists()).toBe(false);
    expect(closed.wrapper.find('[data-testid="sign-up-link"]').exists()).toBe(false);
    closed.wrapper.unmount();

    const assign = vi.spyOn(window.location, 'assign').mockImplementation(() => undefined);
    const status = authStatus({ sign_up: 'open', oidc: { label: 'Sign in with Acme ID', start_path: '/auth/oidc/start' } });
    const open = await mountPage(SignInPage, '/sign-in?next=/jobs', fakeApi({ accounts: { status: async () => status } }));
    const oidc = open.wrapper.get('[data-testid="oidc-sign-in"]');
    expect(oidc.text()).toBe('Sign in with Acme ID');
    await oidc.trigger('click');
    expect(assign).toHaveBeenCalledWith('/api/auth/oidc/start');
    expect(open.wrapper.get('[data-testid="sign-up-link"]').attributes('href')).toBe('/sign-up?next=/jobs');
    open.wrapper.unmount();
  });
});

describe('the first-run and sign-up pages', () => {
  it('creates the administrator, checking the password length first', async () => {
    const setup = vi.fn(async () => ({ user: account({ role: 'admin' }) }));
    const { wrapper, router } = await mountPage(SetupPage, '/setup', fakeApi({ accounts: { status: async () => authStatus({ setup_required: true }), setup } }));
    expect(wrapper.get('h1').text()).toBe('Create the administrator account');
    expect(wrapper.get('#credentials-password').attributes('autocomplete')).toBe('new-password');
    await wrapper.get('#credentials-email').setValue('root@example.com');
    await wrapper.get('#credentials-password').setValue('too short');
    await wrapper.get('form').trigger('submit');
    expect(setup).not.toHaveBeenCalled();
    expect(wrapper.get('[role="alert"]').text()).toBe('Use at least 12 characters.');
    expect(wrapper.get('#credentials-password').attributes('aria-invalid')).toBe('true');
    await wrapper.get('#credentials-password').setValue('long enough password');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(setup).toHaveBeenCalledWith({ email: 'root@example.com', password: 'long enough password' });
    expect(router.currentRoute.value.fullPath).toBe('/');
    wrapper.unmount();
  });

  it('signs up with a new password, its button named Create account', async () => {
    const signUp = vi.fn(async () => ({ user: account() }));
    const { wrapper, router } = await mountPage(SignUpPage, '/sign-up', fakeApi({ accounts: { status: async () => authStatus({ sign_up: 'open' }), signUp } }));
    expect(wrapper.get('[data-testid="credentials-submit"]').text()).toBe('Create account');
    await wrapper.get('#credentials-email').setValue('ada@example.com');
    await wrapper.get('#credentials-password').setValue('long enough password');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(signUp).toHaveBeenCalledTimes(1);
    expect(router.currentRoute.value.fullPath).toBe('/');
    wrapper.unmount();
  });
});
