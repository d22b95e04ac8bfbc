// Server components: the request's locale (Accept-Language) and `t`.
import { headers } from 'next/headers';
import { cache } from 'react';
import { getBranding } from '../branding';
import { createTranslator, formatLocaleFrom, pickLocale, type Translate } from './core';
import { AVAILABLE_LOCALES, TRANSLATIONS } from './locales';

export interface RequestI18n {
  /** The catalogue's locale (`en` unless a translation matches). */
  locale: string;
  /** The viewer's own locale for dates and numbers (`en-US`, `de-CH`). */
  formatLocale: string;
  t: Translate;
}

export const getI18n = cache(async (): Promise<RequestI18n> => {
  const accept = (await headers()).get('accept-language');
  const locale = pickLocale(accept, AVAILABLE_LOCALES);
  return { locale, formatLocale: formatLocaleFrom(accept), t: createTranslator(TRANSLATIONS[locale] ?? {}, getBranding().appName) };
});

/** Shorthand: `const t = await getT();` */
export async function getT(): Promise<Translate> {
  return (await getI18n()).t;
}
