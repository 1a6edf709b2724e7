import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { type Api, ApiKey } from '../api/index.js';
import { useSessionStore } from '../stores/session.store.js';
import { account, admin, authStatus, fakeApi } from '../test-support/fake-api.js';
import AppHeader from './AppHeader.vue';

const Empty = { template: '<div />' };

async function mountHeader(api: Api) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: ['/', '/jobs', '/gallery', '/account', '/admin/users'].map((path) => ({ path, component: Empty })).concat({ path: '/sign-in', name: 'sign-in', component: Empty } as never),
  });
  await router.push('/jobs');
  const pinia = createPinia();
  const header = mount(AppHeader, { global: { plugins: [pinia, router], provide: { [ApiKey as symbol]: api } }, attachTo: document.body });
  await useSessionStore(pinia).refresh();
  await flushPromises();
  return { header, router };
}

describe('the header', () => {
  it('shows neither the pages nor an account menu to someone signed out', async () => {
    const { header } = await mountHeader(fakeApi({ accounts: { status: async () => authStatus() } }));
    expect(header.find('nav').exists()).toBe(false);
    expect(header.find('[data-testid="account-menu"]').exists()).toBe(false);
    header.unmount();
  });

  it("opens the account menu with the user's email, Account and Sign out; Users only for administrators", async () => {
    const { header } = await mountHeader(fakeApi({ accounts: { status: async () => authStatus({ user: account() }) } }));
    const toggle = header.get('[data-testid="account-menu"]');
    expect(toggle.text()).toContain('ada@example.com');
    expect(toggle.attributes('aria-expanded')).toBe('false');
    await toggle.trigger('click');
    expect(toggle.attributes('aria-expanded')).toBe('true');
    expect(header.get('#account-menu').isVisible()).toBe(true);
    expect(header.find('[data-testid="account-link"]').exists()).toBe(true);
    expect(header.find('[data-testid="users-link"]').exists()).toBe(false);
    await header.get('.account').trigger('keydown', { key: 'Escape' });
    expect(toggle.attributes('aria-expanded')).toBe('false');
    header.unmount();

    const { header: adminHeader } = await mountHeader(fakeApi({ accounts: { status: async () => authStatus({ user: admin() }) } }));
    await adminHeader.get('[data-testid="account-menu"]').trigger('click');
    expect(adminHeader.get('[data-testid="users-link"]').text()).toBe('Users');
    adminHeader.unmount();
  });

  it('signs out and goes to the sign-in page', async () => {
    const signOut = vi.fn(async () => undefined);
    const { header, router } = await mountHeader(fakeApi({ accounts: { status: async () => authStatus({ user: account() }), signOut } }));
    await header.get('[data-testid="account-menu"]').trigger('click');
    const button = header.get('[data-testid="sign-out"]');
    expect(button.text()).toBe('Sign out');
    await button.trigger('click');
    await flushPromises();
    expect(signOut).toHaveBeenCalledTimes(1);
    expect(router.currentRoute.value.path).toBe('/sign-in');
    expect(header.find('[data-testid="account-menu"]').exists()).toBe(false);
    header.unmount();
  });
});
