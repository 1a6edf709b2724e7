import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Api, ApiKey } from '../api/index.js';
import { apiKey, fakeApi } from '../test-support/fake-api.js';
import ApiKeysPanel from './ApiKeysPanel.vue';

const NEW_KEY = 'imp_k3_s3cr3t-value-shown-once';

function mountPanel(api: Api) {
  return mount(ApiKeysPanel, { global: { plugins: [createPinia()], provide: { [ApiKey as symbol]: api } }, attachTo: document.body });
}

describe('the API keys panel', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows a new key once, with a copy button and a warning, and never again after Done', async () => {
    const writeText = vi.fn(async () => undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const createApiKey = vi.fn(async () => ({ key: NEW_KEY, api_key: apiKey(3, { name: 'backup script' }) }));
    const panel = mountPanel(fakeApi({ accounts: { listApiKeys: async () => ({ api_keys: [apiKey(1)] }), createApiKey } }));
    await flushPromises();
    expect(panel.findAll('[data-testid="api-key-row"]')).toHaveLength(1);

    await panel.get('[data-testid="api-key-name"]').setValue('backup script');
    await panel.get('form').trigger('submit');
    await flushPromises();
    expect(createApiKey).toHaveBeenCalledWith('backup script');
    const shown = panel.get('[data-testid="created-api-key"]');
    expect(shown.text()).toMatch(/you will not see it again/i);
    expect((panel.get('[data-testid="new-api-key"]').element as HTMLInputElement).value).toBe(NEW_KEY);
    expect(document.activeElement).toBe(panel.get('[data-testid="new-api-key"]').element);
    expect((panel.get('[data-testid="api-key-name"]').element as HTMLInputElement).value).toBe('');

    await panel.get('[data-testid="copy-api-key"]').trigger('click');
    await flushPromises();
    expect(writeText).toHaveBeenCalledWith(NEW_KEY);
    expect(panel.get('[data-testid="copy-api-key"]').text()).toBe('Copied');

    const rows = panel.findAll('[data-testid="api-key-row"]');
    expect(rows.map((r) => r.get('th').text())).toEqual(['backup script', 'key 1']);
    expect(rows[0]?.text()).toContain('imp_k3…');
    expect(rows[0]?.text()).not.toContain(NEW_KEY);

    await panel.get('[data-testid="dismiss-api-key"]').trigger('click');
    expect(panel.find('[data-testid="created-api-key"]').exists()).toBe(false);
    expect(panel.html()).not.toContain(NEW_KEY);
    panel.unmount();
  });

  it('asks for a name before sending anything', async () => {
    const createApiKey = vi.fn();
    const panel = mountPanel(fakeApi({ accounts: { listApiKeys: async () => ({ api_keys: [] }), createApiKey } }));
    await flushPromises();
    expect(panel.get('[data-testid="no-api-keys"]').text()).toBe('You have no API keys.');
    await panel.get('form').trigger('submit');
    expect(createApiKey).not.toHaveBeenCalled();
    expect(panel.get('[role="alert"]').text()).toMatch(/Give the key a name/);
    expect(panel.get('[data-testid="api-key-name"]').attributes('aria-invalid')).toBe('true');
    panel.unmount();
  });

  it('selects the key for copying by hand when the browser will not copy it', async () => {
    vi.stubGlobal('navigator', { ...navigator, clipboard: undefined });
    const panel = mountPanel(fakeApi({ accounts: { listApiKeys: async () => ({ api_keys: [] }), createApiKey: async () => ({ key: NEW_KEY, api_key: apiKey(3) }) } }));
    await flushPromises();
    await panel.get('[data-testid="api-key-name"]').setValue('k');
    await panel.get('form').trigger('submit');
    await flushPromises();
    await panel.get('[data-testid="copy-api-key"]').trigger('click');
    await flushPromises();
    expect(panel.get('[role="alert"]').text()).toMatch(/copy it yourself/);
    panel.unmount();
  });

  it('revokes a key only after it is confirmed', async () => {
    const revokeApiKey = vi.fn(async () => undefined);
    const panel = mountPanel(fakeApi({ accounts: { listApiKeys: async () => ({ api_keys: [apiKey(1), apiKey(2)] }), revokeApiKey } }));
    await flushPromises();
    await panel.get('button[aria-label="Revoke key 1"]').trigger('click');
    expect(revokeApiKey).not.toHaveBeenCalled();
    const confirm = panel.get('[role="group"][aria-label="Revoke key 1?"]');
    await confirm.findAll('button').find((b) => b.text() === 'Revoke key')?.trigger('click');
    await flushPromises();
    expect(revokeApiKey).toHaveBeenCalledWith(apiKey(1).id);
    expect(panel.findAll('[data-testid="api-key-row"]').map((r) => r.get('th').text())).toEqual(['key 2']);
    panel.unmount();
  });
});
