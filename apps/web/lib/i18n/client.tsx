'use client';
// Client components: `const t = useT();` — the locale was chosen on the server (layout.tsx).
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { setFormErrorsTranslator } from '../form-errors';
import { createTranslator, type Translate } from './core';
import { TRANSLATIONS } from './locales';

interface I18nValue {
  locale: string;
  formatLocale: string;
  appName: string;
  /** APP_LOGO_URL, when set and valid. */
  logoUrl?: string;
  t: Translate;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({
  locale,
  formatLocale,
  appName,
  logoUrl,
  children,
}: {
  locale: string;
  formatLocale: string;
  appName: string;
  logoUrl?: string;
  children: ReactNode;
}) {
  const value = useMemo(() => {
    const t = createTranslator(TRANSLATIONS[locale] ?? {}, appName);
    // Forms' error sentences (a plain function, no hook) in this page's language.
    if (typeof window !== 'undefined') setFormErrorsTranslator(t);
    return { locale, formatLocale, appName, logoUrl, t };
  }, [locale, formatLocale, appName, logoUrl]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function useI18nValue(): I18nValue {
  const value = useContext(I18nContext);
  // Outside the provider (a test rendering one component): English, the default name.
  return value ?? { locale: 'en', formatLocale: 'en', appName: 'Portcullis', t: createTranslator({}, 'Portcullis') };
}

export function useT(): Translate {
  return useI18nValue().t;
}

export function useI18n(): I18nValue {
  return useI18nValue();
}
