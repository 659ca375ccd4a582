/** The page's colour theme: the OS's (prefers-color-scheme) unless the visitor picked light or dark. */
import type { Theme } from './state.js';

export const THEMES: readonly Theme[] = ['system', 'light', 'dark'];

/** Sets `data-theme` on <html>; the stylesheet's variables (and through them the element's) follow. */
export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}

/** The next theme for the toggle button: system → light → dark → system. */
export function nextTheme(theme: Theme): Theme {
  return THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length]!;
}

export const THEME_LABEL: Record<Theme, string> = { system: 'Theme: as the system', light: 'Theme: light', dark: 'Theme: dark' };
