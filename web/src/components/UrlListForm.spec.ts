import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { ApiKey } from '../api/index.js';
import { fakeApi } from '../test-support/fake-api.js';
import UrlListForm from './UrlListForm.vue';

const accepted = { job_id: '44444444-4444-4444-8444-444444444444', status: 'queued' as const, message: 'started', urls_received: 2 };
const mountForm = (api = fakeApi()) => mount(UrlListForm, { global: { plugins: [createPinia()], provide: { [ApiKey as symbol]: api } } });

describe('the image URL form', () => {
  it('sends the pasted URLs as a list and hands the new job on', async () => {
    const importUrls = vi.fn(async () => accepted);
    const form = mountForm(fakeApi({ imports: { importUrls } }));
    await form.get('#url-list').setValue('https://a.example/1.jpg\n\nhttps://b.example/2.png');
    expect(form.get('#url-list-message').text()).toBe('✓ 2 URLs to import.');
    await form.get('form').trigger('submit');
    await flushPromises();
    expect(importUrls).toHaveBeenCalledWith(['https://a.example/1.jpg', 'https://b.example/2.png']);
    expect(form.emitted('started')).toEqual([[accepted.job_id]]);
  });

  it('names a bad line and sends nothing', async () => {
    const importUrls = vi.fn();
    const form = mountForm(fakeApi({ imports: { importUrls } }));
    await form.get('#url-list').setValue('https://a.example/1.jpg\nnot a url');
    await form.get('form').trigger('submit');
    expect(form.get('#url-list-message').text()).toBe('Line 2 is not an http or https URL: "not a url".');
    expect(importUrls).not.toHaveBeenCalled();
  });

  it('uploads a chosen CSV file as it is', async () => {
    const importCsv = vi.fn(async () => accepted);
    const form = mountForm(fakeApi({ imports: { importCsv } }));
    const csv = new File(['url\nhttps://a.example/1.jpg\n'], 'photos.csv', { type: 'text/csv' });
    const picker = form.get('#url-csv');
    Object.defineProperty(picker.element, 'files', { value: [csv] });
    await picker.trigger('change');
    expect(form.get('#url-list-message').text()).toMatch(/photos\.csv .* will be imported/);
    await form.get('form').trigger('submit');
    await flushPromises();
    expect(importCsv).toHaveBeenCalledWith(csv);
    expect(form.emitted('started')).toEqual([[accepted.job_id]]);
  });
});
