import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { AccountBody } from '@importer/contracts';
import type { NewUser } from '../api/index.js';
import { useApi } from '../composables/use-api.js';
import { type ApiProblem, apiProblem } from '../lib/api-problem.js';
import { errorMessage } from '../lib/format.js';
import { useSessionStore } from './session.store.js';

/** An administrator's list of every account: adding people, disabling and enabling them. */
export const useUsersStore = defineStore('users', () => {
  const api = useApi();
  const session = useSessionStore();
  const users = ref<AccountBody[]>([]);
  const loaded = ref(false);
  const error = ref<string | null>(null);
  const creating = ref(false);
  const createError = ref<ApiProblem | null>(null);
  const pending = ref(new Set<string>());
  const actionErrors = ref(new Map<string, string>());

  async function load(): Promise<void> {
    try {
      users.value = (await api.users.list()).users;
      error.value = null;
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      loaded.value = true;
    }
  }

  function put(user: AccountBody): void {
    const at = users.value.findIndex((u) => u.id === user.id);
    if (at === -1) users.value.push(user);
    else users.value[at] = user;
  }

  /** Adds an account; false when refused (see `createError`) or one is being added. */
  async function create(user: NewUser): Promise<boolean> {
    if (creating.value) return false;
    creating.value = true;
    createError.value = null;
    try {
      put((await api.users.create({ ...user, email: user.email.trim() })).user);
      return true;
    } catch (e) {
      createError.value = apiProblem(e);
      return false;
    } finally {
      creating.value = false;
    }
  }

  /** Disables or enables a user; one change per user at a time. */
  async function setDisabled(userId: string, disabled: boolean): Promise<void> {
    if (pending.value.has(userId)) return;
    pending.value.add(userId);
    actionErrors.value.delete(userId);
    try {
      put((await (disabled ? api.users.disable(userId) : api.users.enable(userId))).user);
    } catch (e) {
      actionErrors.value.set(userId, errorMessage(e));
    } finally {
      pending.value.delete(userId);
    }
  }

  // Someone else signed in: the list is read again for them, if they may see it.
  watch(
    () => session.user?.id,
    () => {
      users.value = [];
      loaded.value = false;
      error.value = null;
      createError.value = null;
      actionErrors.value = new Map();
    },
    { flush: 'sync' },
  );

  return {
    users,
    loaded,
    error,
    creating,
    createError,
    pending,
    actionErrors,
    load,
    create,
    disable: (userId: string) => setDisabled(userId, true),
    enable: (userId: string) => setDisabled(userId, false),
    clearCreateError: () => (createError.value = null),
  };
});
