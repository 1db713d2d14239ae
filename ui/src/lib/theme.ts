/**
 * Light or dark: by default the system's (prefers-color-scheme), or the person's choice, kept in
 * localStorage and set as <html data-theme>. `resolvedTheme` is what shows now, for Monaco's theme.
 */
import { computed, signal } from '@preact/signals';

export type ThemeChoice = 'system' | 'light' | 'dark';
const key = 'fp.theme';
const media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: light)') : null;

function stored(): ThemeChoice {
  try {
    const value = localStorage.getItem(key);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

export const themeChoice = signal<ThemeChoice>(stored());
const systemLight = signal(media?.matches ?? false);
media?.addEventListener('change', (event) => { systemLight.value = event.matches; });

export const resolvedTheme = computed<'light' | 'dark'>(() => (themeChoice.value === 'system' ? (systemLight.value ? 'light' : 'dark') : themeChoice.value));

/** Puts the resolved theme on <html>, now and whenever it changes. */
export function applyTheme(root: HTMLElement = document.documentElement): () => void {
  return resolvedTheme.subscribe((theme) => {
    root.dataset.theme = theme;
    root.style.colorScheme = theme;
  });
}

export function chooseTheme(choice: ThemeChoice): void {
  themeChoice.value = choice;
  try {
    if (choice === 'system') localStorage.removeItem(key);
    else localStorage.setItem(key, choice);
  } catch {
    // Private windows may refuse storage: the choice holds for this page.
  }
}
