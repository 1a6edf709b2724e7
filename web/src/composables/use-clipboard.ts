import { getCurrentScope, onScopeDispose, ref } from 'vue';

export type CopyOutcome = 'copied' | 'failed';

/**
 * Copies text to the clipboard, for a button to say it did for a moment. The clipboard API exists only in secure
 * contexts (https, localhost): on a plain-http server copying fails, and that stays until the next try so the page
 * can ask for the text to be copied by hand.
 */
export function useClipboard(showForMs = 2_000) {
  const outcome = ref<CopyOutcome | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function copy(text: string): Promise<CopyOutcome> {
    clearTimeout(timer);
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      outcome.value = 'copied';
    } catch {
      outcome.value = 'failed';
    }
    if (outcome.value === 'copied') timer = setTimeout(() => (outcome.value = null), showForMs);
    return outcome.value;
  }

  if (getCurrentScope()) onScopeDispose(() => clearTimeout(timer));
  return { copy, outcome };
}
