// The string catalogue's machinery, free of React and Next so unit tests and both sides of the
// app share it. English (./en) is the source: every key exists there. A translation is one file
// in ./locales that gives any subset of those keys; a missing key falls back to English.
import { en, type Messages } from './en';

export type MessageKey = keyof Messages;
/** A translation file: any subset of the English keys, same placeholders. */
export type Translation = Partial<Record<MessageKey, string>>;
export type MessageVars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: MessageVars) => string;

/** `{name}` placeholders filled from `vars`; an unknown placeholder stays visible, never blank. */
export function interpolate(template: string, vars?: MessageVars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(vars, name) ? String(vars[name]) : whole));
}

/** `t(key, vars)` for one translation, English underneath. `app` (the product name) is always available as `{app}`. */
export function createTranslator(translation: Translation, appName: string): Translate {
  return (key, vars) => interpolate(translation[key] ?? en[key], { app: appName, ...vars });
}

/**
 * The best locale we have for an Accept-Language header (`de-CH,de;q=0.9,en;q=0.8`), by quality
 * then order; a region falls back to its language (`de-CH` → `de`). English when nothing matches.
 */
export function pickLocale(acceptLanguage: string | null | undefined, available: readonly string[]): string {
  const wanted = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((w) => w.tag && w.tag !== '*' && Number.isFinite(w.q) && w.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  const lower = new Map(available.map((a) => [a.toLowerCase(), a]));
  for (const { tag } of wanted) {
    const exact = lower.get(tag) ?? lower.get(tag.split('-')[0]!);
    if (exact) return exact;
  }
  return 'en';
}

/**
 * The locale dates and numbers are written in: the viewer's first well-formed language tag with
 * its region (`en-US` writes 12/1/2026, `en-GB` 01/12/2026), even when the strings are English.
 */
export function formatLocaleFrom(acceptLanguage: string | null | undefined): string {
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0]!.trim();
    if (!tag || tag === '*') continue;
    try {
      const [supported] = Intl.DateTimeFormat.supportedLocalesOf(tag);
      if (supported) return supported;
    } catch {
      // not a well-formed tag: try the next one
    }
  }
  return 'en';
}
