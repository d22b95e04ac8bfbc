'use client';
// Light / dark / system. The choice is a cookie (not storage) so the server renders the page in
// it from the first byte (layout.tsx sets <html data-theme>), with no flash of the other theme.
import { useState } from 'react';
import { useT } from '@/lib/i18n/client';
import { THEME_COOKIE, type Theme } from '@/lib/theme';
import styles from './Header.module.css';

const ORDER: Theme[] = ['system', 'light', 'dark'];
const ICON: Record<Theme, string> = { system: '◐', light: '☀', dark: '☾' };

export function ThemeToggle({ initial }: { initial: Theme }) {
  const t = useT();
  const [theme, setTheme] = useState<Theme>(initial);

  function next() {
    const chosen = ORDER[(ORDER.indexOf(theme) + 1) % ORDER.length]!;
    setTheme(chosen);
    const root = document.documentElement;
    if (chosen === 'system') {
      delete root.dataset.theme;
      document.cookie = `${THEME_COOKIE}=; path=/; max-age=0; samesite=lax`;
    } else {
      root.dataset.theme = chosen;
      document.cookie = `${THEME_COOKIE}=${chosen}; path=/; max-age=31536000; samesite=lax`;
    }
  }

  const current = t(`theme.${theme}`);
  return (
    <button type="button" className={styles.iconButton} onClick={next} aria-label={t('theme.button', { current })} title={t('theme.button', { current })}>
      <span aria-hidden="true">{ICON[theme]}</span>
    </button>
  );
}
