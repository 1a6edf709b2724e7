import { ref, watchEffect } from 'vue';

export type ThemeChoice = 'system' | 'light' | 'dark';
const STORAGE_KEY = 'image-importer.theme';
const choices: ThemeChoice[] = ['system', 'light', 'dark'];

function stored(): ThemeChoice {
  const value = globalThis.localStorage?.getItem(STORAGE_KEY);
  return choices.includes(value as ThemeChoice) ? (value as ThemeChoice) : 'system';
}

const theme = ref<ThemeChoice>(stored());

/** Light, dark or the system's choice, remembered in this browser and applied as `data-theme` on <html>. */
export function useTheme() {
  watchEffect(() => {
    const root = document.documentElement;
    if (theme.value === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme.value;
    globalThis.localStorage?.setItem(STORAGE_KEY, theme.value);
  });
  const cycle = () => {
    theme.value = choices[(choices.indexOf(theme.value) + 1) % choices.length] ?? 'system';
  };
  return { theme, cycle };
}
