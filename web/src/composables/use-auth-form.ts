import { computed, onMounted } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import type { Credentials } from '../api/index.js';
import { safeNextPath } from '../lib/auth-guard.js';
import { useSessionStore } from '../stores/session.store.js';

/**
 * What the sign-in, sign-up and first-run pages share: the session, where to go after (`?next=`, only a path inside
 * the app), a fresh error when the page opens, and a submit that goes there once `action` signs someone in.
 */
export function useAuthForm(action: (session: ReturnType<typeof useSessionStore>, credentials: Credentials) => Promise<boolean>) {
  const route = useRoute();
  const router = useRouter();
  const session = useSessionStore();
  const next = computed(() => safeNextPath(route.query.next));
  onMounted(() => session.clearError());
  async function submit(credentials: Credentials): Promise<void> {
    if (await action(session, credentials)) await router.replace(next.value ?? '/');
  }
  return { session, next, submit };
}
