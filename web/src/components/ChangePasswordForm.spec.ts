import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { type Api, ApiKey, ApiRequestError } from '../api/index.js';
import { fakeApi } from '../test-support/fake-api.js';
import ChangePasswordForm from './ChangePasswordForm.vue';

const mountForm = (api: Api) => mount(ChangePasswordForm, { global: { plugins: [createPinia()], provide: { [ApiKey as symbol]: api } }, attachTo: document.body });

describe('the change-password form', () => {
  it('changes the password and says how many other sessions were signed out', async () => {
    const changePassword = vi.fn(async () => ({ sessions_ended: 2 }));
    const form = mountForm(fakeApi({ accounts: { changePassword } }));
    expect(form.get('#current-password').attributes('autocomplete')).toBe('current-password');
    expect(form.get('#new-password').attributes('autocomplete')).toBe('new-password');
    await form.get('#current-password').setValue('the old password');
    await form.get('#new-password').setValue('short');
    await form.get('form').trigger('submit');
    expect(changePassword).not.toHaveBeenCalled();
    expect(form.get('[role="alert"]').text()).toBe('Use at least 12 characters for the new password.');
    await form.get('#new-password').setValue('the brand new password');
    await form.get('form').trigger('submit');
    await flushPromises();
    expect(changePassword).toHaveBeenCalledWith('the old password', 'the brand new password');
    expect(form.get('[role="status"]').text()).toBe('Password changed. 2 other sessions were signed out.');
    expect((form.get('#current-password').element as HTMLInputElement).value).toBe('');
    form.unmount();
  });

  it('marks the current password when the API says it is wrong', async () => {
    const form = mountForm(fakeApi({ accounts: { changePassword: () => Promise.reject(new ApiRequestError(401, 'invalid_credentials', 'The current password is wrong.')) } }));
    await form.get('#current-password').setValue('not it');
    await form.get('#new-password').setValue('the brand new password');
    await form.get('form').trigger('submit');
    await flushPromises();
    expect(form.get('[role="alert"]').text()).toBe('The current password is wrong.');
    expect(form.get('#current-password').attributes('aria-invalid')).toBe('true');
    form.unmount();
  });
});
