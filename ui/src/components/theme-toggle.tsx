/** Switches between the system's theme, light and dark; says which one shows. */
import { chooseTheme, resolvedTheme, themeChoice, type ThemeChoice } from '../lib/theme';

const next: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const words: Record<ThemeChoice, string> = { system: 'Auto', light: 'Light', dark: 'Dark' };

export function ThemeToggle() {
  const choice = themeChoice.value;
  const icon = resolvedTheme.value === 'light' ? '☀' : '☾';
  return (
    <button type="button" class="theme-toggle" onClick={() => chooseTheme(next[choice])}
      aria-label={`${words[choice]} theme (${resolvedTheme.value} now); switch to ${words[next[choice]].toLowerCase()}`} title={`${words[choice]} theme: click for ${words[next[choice]].toLowerCase()}`}>
      <span aria-hidden="true">{icon}</span><span class="theme-word">{words[choice]}</span>
    </button>
  );
}
