import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AccountBody, AuthStatus } from '@importer/contracts';
import type { Credentials } from '../api/index.js';
import { useApi } from '../composables/use-api.js';
import { type ApiProblem, apiProblem } from '../lib/api-problem.js';
import { errorMessage } from '../lib/format.js';

/** Refusals that mean the status this page holds is out of date. */
const STALE_STATUS = new Set(['setup_done', 'setup_required', 'sign_up_closed']);

/** Who is signed in, and signing in, up and out: the server's `/auth/status`, kept current by each of these. */
export const useSessionStore = defineStore('session', () => {
  const api = useApi();
  /** Null until the first answer of `/auth/status`. */
  const status = ref<AuthStatus | null>(null);
  /** Why `/auth/status` could not be read, while there is no status to go on. */
  const loadError = ref<string | null>(null);
  /** A sign-in, sign-up, setup or sign-out under way: the forms wait for it. */
  const submitting = ref(false);
  /** The last refusal of one of those, for the form to show. */
  const error = ref<ApiProblem | null>(null);
  let loading: Promise<AuthStatus | null> | undefined;

  const user = computed<AccountBody | null>(() => status.value?.user ?? null);
  const isAdmin = computed(() => user.value?.role === 'admin');

  /** Reads `/auth/status` again; calls while one is on its way share its answer. Null when it could not be read. */
  function refresh(): Promise<AuthStatus | null> {
    loading ??= api.accounts
      .status()
      .then((answer) => {
        status.value = answer;
        loadError.value = null;
        return answer;
      })
      .catch((e: unknown) => {
        loadError.value = errorMessage(e);
        return null;
      })
      .finally(() => (loading = undefined));
    return loading;
  }

  function signedInAs(account: AccountBody | null): void {
    if (status.value) status.value = { ...status.value, setup_required: false, user: account };
    else if (account) status.value = { setup_required: false, sign_up: 'closed', oidc: null, user: account };
  }

  /** Runs one request at a time; true when it went through, false when refused (see `error`) or one is under way. */
  async function submit(request: () => Promise<AccountBody | null>): Promise<boolean> {
    if (submitting.value) return false;
    submitting.value = true;
    error.value = null;
    try {
      signedInAs(await request());
      return true;
    } catch (e) {
      error.value = apiProblem(e);
      // The server moved on (someone else finished setup, sign-up was closed): what the pages offer follows it.
      if (STALE_STATUS.has(error.value.code)) void refresh();
      return false;
    } finally {
      submitting.value = false;
    }
  }

  return {
    status,
    user,
    isAdmin,
    loadError,
    submitting,
    error,
    refresh,
    signIn: (credentials: Credentials) => submit(async () => (await api.accounts.signIn(credentials)).user),
    signUp: (credentials: Credentials) => submit(async () => (await api.accounts.signUp(credentials)).user),
    /** Creates the first administrator, who is then signed in. */
    setup: (credentials: Credentials) => submit(async () => (await api.accounts.setup(credentials)).user),
    signOut: () =>
      submit(async () => {
        await api.accounts.signOut();
        return null;
      }),
    /** The API said the session is over (a 401 `unauthenticated`): nobody is signed in any more. */
    expire: () => signedInAs(null),
    /** Leaves the app for the identity provider, with a full page load; the server brings the browser back to `/`. */
    startOidc(): void {
      const oidc = status.value?.oidc;
      if (oidc) window.location.assign(api.accounts.oidcStartUrl(oidc.start_path));
    },
    clearError: () => (error.value = null),
  };
});
