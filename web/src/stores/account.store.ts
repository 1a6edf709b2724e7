import { defineStore } from 'pinia';
import { ref, shallowRef, watch } from 'vue';
import type { ApiKeyBody } from '@importer/contracts';
import { useApi } from '../composables/use-api.js';
import { type ApiProblem, apiProblem } from '../lib/api-problem.js';
import { errorMessage } from '../lib/format.js';
import { useSessionStore } from './session.store.js';

/** A key just created: the only time its secret is known here. */
export interface CreatedKey {
  key: string;
  apiKey: ApiKeyBody;
}

/** What signed-in users manage of their own account: their password, API keys and webhook secret. */
export const useAccountStore = defineStore('account', () => {
  const api = useApi();
  const session = useSessionStore();

  const apiKeys = ref<ApiKeyBody[]>([]);
  const keysLoaded = ref(false);
  const keysError = ref<string | null>(null);
  const creatingKey = ref(false);
  const createKeyError = ref<ApiProblem | null>(null);
  /** Shown until dismissed and never again: the API keeps only the key's hash. Shallow, so nothing copies it around. */
  const createdKey = shallowRef<CreatedKey | null>(null);
  const revoking = ref(new Set<string>());
  const revokeErrors = ref(new Map<string, string>());

  const webhookSecret = ref<string | null>(null);
  const secretError = ref<string | null>(null);
  const rotatingSecret = ref(false);

  const changingPassword = ref(false);
  const passwordError = ref<ApiProblem | null>(null);

  async function loadKeys(): Promise<void> {
    try {
      apiKeys.value = (await api.accounts.listApiKeys()).api_keys;
      keysError.value = null;
    } catch (e) {
      keysError.value = errorMessage(e);
    } finally {
      keysLoaded.value = true;
    }
  }

  /** Creates a key and holds it in `createdKey` for the page to show once; false when refused (see `createKeyError`). */
  async function createKey(name: string): Promise<boolean> {
    if (creatingKey.value) return false;
    creatingKey.value = true;
    createKeyError.value = null;
    try {
      const created = await api.accounts.createApiKey(name.trim());
      createdKey.value = { key: created.key, apiKey: created.api_key };
      apiKeys.value = [created.api_key, ...apiKeys.value.filter((k) => k.id !== created.api_key.id)];
      return true;
    } catch (e) {
      createKeyError.value = apiProblem(e);
      return false;
    } finally {
      creatingKey.value = false;
    }
  }

  async function revokeKey(keyId: string): Promise<void> {
    if (revoking.value.has(keyId)) return;
    revoking.value.add(keyId);
    revokeErrors.value.delete(keyId);
    try {
      await api.accounts.revokeApiKey(keyId);
      apiKeys.value = apiKeys.value.filter((k) => k.id !== keyId);
      if (createdKey.value?.apiKey.id === keyId) createdKey.value = null;
    } catch (e) {
      revokeErrors.value.set(keyId, errorMessage(e));
    } finally {
      revoking.value.delete(keyId);
    }
  }

  async function loadWebhookSecret(): Promise<void> {
    try {
      webhookSecret.value = (await api.accounts.webhookSecret()).webhook_secret;
      secretError.value = null;
    } catch (e) {
      secretError.value = errorMessage(e);
    }
  }

  async function rotateWebhookSecret(): Promise<boolean> {
    if (rotatingSecret.value) return false;
    rotatingSecret.value = true;
    secretError.value = null;
    try {
      webhookSecret.value = (await api.accounts.rotateWebhookSecret()).webhook_secret;
      return true;
    } catch (e) {
      secretError.value = errorMessage(e);
      return false;
    } finally {
      rotatingSecret.value = false;
    }
  }

  /** How many other sessions the change signed out, or undefined when refused (see `passwordError`). */
  async function changePassword(currentPassword: string, newPassword: string): Promise<number | undefined> {
    if (changingPassword.value) return undefined;
    changingPassword.value = true;
    passwordError.value = null;
    try {
      return (await api.accounts.changePassword(currentPassword, newPassword)).sessions_ended;
    } catch (e) {
      passwordError.value = apiProblem(e);
      return undefined;
    } finally {
      changingPassword.value = false;
    }
  }

  // Someone else signed in, or nobody is: no key or secret of the last one stays in memory.
  watch(
    () => session.user?.id,
    () => {
      apiKeys.value = [];
      keysLoaded.value = false;
      keysError.value = null;
      createKeyError.value = null;
      createdKey.value = null;
      revokeErrors.value = new Map();
      webhookSecret.value = null;
      secretError.value = null;
      passwordError.value = null;
    },
    { flush: 'sync' },
  );

  return {
    apiKeys,
    keysLoaded,
    keysError,
    creatingKey,
    createKeyError,
    createdKey,
    revoking,
    revokeErrors,
    webhookSecret,
    secretError,
    rotatingSecret,
    changingPassword,
    passwordError,
    loadKeys,
    createKey,
    dismissCreatedKey: () => (createdKey.value = null),
    revokeKey,
    loadWebhookSecret,
    rotateWebhookSecret,
    changePassword,
    clearPasswordError: () => (passwordError.value = null),
    clearCreateKeyError: () => (createKeyError.value = null),
  };
});
