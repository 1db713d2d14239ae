/** Switches between the system's theme, light and dark; says which one shows. */
import { chooseTheme, resolvedTheme, themeChoice, type ThemeChoice } from '../lib/theme';

const next: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const words: Record<ThemeChoice, string> = { system: 'System theme', light: 'Light theme', dark: 'Dark theme' };

export function ThemeToggle() {
  const choice = themeChoice.value;
  const icon = resolvedTheme.value === 'light' ? '☀' : '☾';
  return (
    <button type="button" class="theme-toggle" onClick={() => chooseTheme(next[choice])}
      aria-label={`${words[choice]} (${resolvedTheme.value}); switch to ${words[next[choice]].toLowerCase()}`} title={`${words[choice]}: click for ${words[next[choice]].toLowerCase()}`}>
      <span aria-hidden="true">{icon}</span><span class="theme-word">{choice === 'system' ? 'Auto' : choice === 'light' ? 'Light' : 'Dark'}</span>
    </button>
  );
}
