import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { SOURCE_ENTRIES } from '@importer/contracts';
import { ApiKey, ApiRequestError } from '../api/index.js';
import { deferred, fakeApi } from '../test-support/fake-api.js';
import ImportForm from './ImportForm.vue';

const LINK = 'https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOp';

function mountForm(api = fakeApi()) {
  return mount(ImportForm, { global: { plugins: [createPinia()], provide: { [ApiKey as symbol]: api } }, attachTo: document.body });
}

describe('the import form', () => {
  it("has a tab per source of the catalogue, labelled by it, with the folder form's text or the URL list form", async () => {
    const form = mountForm();
    expect(form.findAll('[role="tab"]').map((tab) => tab.text())).toEqual(SOURCE_ENTRIES.map((entry) => entry.label));
    for (const entry of SOURCE_ENTRIES) {
      await form.get(`#tab-${entry.kind}`).trigger('click');
      if (entry.folderLink) {
        expect(form.get('label[for="folder-link"]').text()).toBe(`${entry.label} folder link`);
        expect(form.get('#folder-link').attributes('placeholder')).toBe(entry.folderLink.placeholder);
      } else {
        expect(form.find('#folder-link').exists()).toBe(false);
        expect(form.find('#url-list').exists()).toBe(true);
      }
    }
    form.unmount();
  });

  it('says what is wrong with a link once the person leaves the field, and sends nothing', async () => {
    const importFolder = vi.fn();
    const form = mountForm(fakeApi({ imports: { importFolder } }));
    const input = form.get('#folder-link');
    await input.setValue('https://www.dropbox.com/scl/fo/abc');
    expect(form.get('#folder-link-message').text()).toBe('');
    await input.trigger('blur');
    expect(form.get('#folder-link-message').text()).toMatch(/This link goes to www\.dropbox\.com, not to Google Drive\./);
    expect(input.attributes('aria-invalid')).toBe('true');
    await form.get('form').trigger('submit');
    expect(importFolder).not.toHaveBeenCalled();
    form.unmount();
  });

  it('starts the import of a valid link and hands the new job on', async () => {
    const importFolder = vi.fn(async () => ({ job_id: '33333333-3333-4333-8333-333333333333', status: 'queued' as const, message: 'started' }));
    const form = mountForm(fakeApi({ imports: { importFolder } }));
    await form.get('#folder-link').setValue(LINK);
    expect(form.get('#folder-link-message').text()).toMatch(/Looks like a Google Drive folder link/);
    await form.get('form').trigger('submit');
    await flushPromises();
    expect(importFolder).toHaveBeenCalledWith('google_drive', { folder_url: LINK });
    expect(form.emitted('started')).toEqual([['33333333-3333-4333-8333-333333333333']]);
    expect((form.get('#folder-link').element as HTMLInputElement).value).toBe('');
    form.unmount();
  });

  it("shows the API's refusal beside the field, and the button is back", async () => {
    const refusal = new ApiRequestError(404, 'folder_not_found', 'Google Drive has no folder 1AbCdEfGhIjKlMnOp that this server can see.');
    const answer = deferred<never>();
    const form = mountForm(fakeApi({ imports: { importFolder: () => answer.promise } }));
    await form.get('#folder-link').setValue(LINK);
    await form.get('form').trigger('submit');
    expect(form.get('button[type="submit"]').attributes('disabled')).toBeDefined();
    answer.reject(refusal);
    await flushPromises();
    expect(form.get('#folder-link-message').text()).toBe(refusal.message);
    expect(form.get('button[type="submit"]').attributes('disabled')).toBeUndefined();
    expect(form.emitted('started')).toBeUndefined();
    form.unmount();
  });

  it('has a Dropbox tab whose link check is Dropbox\'s', async () => {
    const importFolder = vi.fn(async () => ({ job_id: '55555555-5555-4555-8555-555555555555', status: 'queued' as const, message: 'started' }));
    const form = mountForm(fakeApi({ imports: { importFolder } }));
    await form.get('#tab-dropbox').trigger('click');
    expect(form.get('#tab-dropbox').attributes('aria-selected')).toBe('true');
    expect(form.get('label[for="folder-link"]').text()).toBe('Dropbox folder link');
    await form.get('#folder-link').setValue(LINK);
    await form.get('#folder-link').trigger('blur');
    expect(form.get('#folder-link-message').text()).toMatch(/not .*Dropbox/i);
    const dropboxLink = 'https://www.dropbox.com/scl/fo/abc123def456/AAbbCCddEEff?rlkey=xyz789abc&dl=0';
    await form.get('#folder-link').setValue(dropboxLink);
    await form.get('form').trigger('submit');
    await flushPromises();
    expect(importFolder).toHaveBeenCalledWith('dropbox', { folder_url: dropboxLink });
    form.unmount();
  });
});
