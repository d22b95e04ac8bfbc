import { describe, expect, it } from 'vitest';
import { createTranslator, formatLocaleFrom, interpolate, pickLocale } from '../lib/i18n/core.js';
import { en } from '../lib/i18n/en/index.js';
import { AVAILABLE_LOCALES, TRANSLATIONS } from '../lib/i18n/locales/index.js';
import { formatInstant, relativeTime } from '../lib/format.js';
import { fileURLToPath } from 'node:url';
import { isSessionEndReason, SESSION_END_REASONS } from '../lib/session-end.js';
import { de } from './fixtures/locale-de.js';
import { scanPages } from './fixtures/hardcoded-text.js';
import { pseudo } from './fixtures/locale-pseudo.js';

// The string catalogue: English is the source, a translation is one file of some of its keys.
describe('string catalogue', () => {
  it('ships English, and every shipped translation uses only English keys with the same placeholders', () => {
    expect(AVAILABLE_LOCALES).toContain('en');
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [locale, translation] of Object.entries(TRANSLATIONS)) {
      for (const [key, text] of Object.entries(translation)) {
        expect(Object.hasOwn(en, key), `${locale}: ${key} is not an English key`).toBe(true);
        expect(placeholders(text!), `${locale}: ${key}`).toEqual(placeholders(en[key as keyof typeof en]));
      }
    }
  });

  it('a second locale is just a file: its strings are used, missing ones fall back to English, {app} is the brand', () => {
    const t = createTranslator(de, 'Acme ID');
    expect(t('login.title')).toBe('Bei Acme ID anmelden');
    expect(t('header.accountMenu', { name: 'Ada' })).toBe('Kontomenü für Ada');
    expect(t('login.forgot')).toBe('Forgot password?');
    expect(createTranslator({}, 'Portcullis')('login.title')).toBe('Sign in to Portcullis');
  });

  it('the second locale is complete: every English key, no other, the same placeholders', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    // A new English key fails here until the second locale has it (make-pseudo-locale.ts writes it).
    expect(Object.keys(pseudo).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(pseudo)) expect(placeholders(text!), key).toEqual(placeholders(en[key as keyof typeof en]));
    const t = createTranslator(pseudo, 'Acme ID');
    expect(t('login.title')).toBe('⟦Sígñ íñ tó Acme ID⟧');
  });

  it('pages take their text from the catalogue: no page or component hard-codes text a person reads', () => {
    const found = scanPages(fileURLToPath(new URL('..', import.meta.url)), ['app', 'components']);
    expect([...found], 'text written into these pages: put it in lib/i18n/en and use t()').toEqual([]);
  });

  it('explains every way a session ends, and only those (a role change keeps the session)', () => {
    for (const reason of SESSION_END_REASONS) expect(Object.hasOwn(en, `reason.${reason}`), reason).toBe(true);
    expect(isSessionEndReason('role_changed')).toBe(false);
    expect(
      Object.keys(en)
        .filter((key) => key.startsWith('reason.') && key !== 'reason.title')
        .sort(),
    ).toEqual(SESSION_END_REASONS.map((r) => `reason.${r}`).sort());
  });

  it('fills placeholders and leaves an unknown one visible', () => {
    expect(interpolate('Hello {name}, {missing}', { name: 'Ada' })).toBe('Hello Ada, {missing}');
  });

  it('picks the locale from Accept-Language by quality, a region falling back to its language, English otherwise', () => {
    const available = ['en', 'de', 'pt-BR'];
    expect(pickLocale('fr-CH, de;q=0.8, en;q=0.5', available)).toBe('de');
    expect(pickLocale('de-AT', available)).toBe('de');
    expect(pickLocale('pt-br,en;q=0.1', available)).toBe('pt-BR');
    expect(pickLocale('en;q=0.2, de;q=0.9', available)).toBe('de');
    expect(pickLocale('ja', available)).toBe('en');
    expect(pickLocale(undefined, available)).toBe('en');
    expect(pickLocale('*;q=1, de;q=0', available)).toBe('en');
  });

  it('dates and relative times follow the viewer: their locale and their time zone', () => {
    const iso = '2026-12-01T23:30:00.000Z';
    expect(formatLocaleFrom('en-US,en;q=0.9')).toBe('en-US');
    expect(formatLocaleFrom('not a tag!!, de-DE')).toBe('de-DE');
    expect(formatInstant(iso, 'date', 'en-US', 'UTC')).toBe('December 1, 2026');
    // Half past eleven in London is the next morning in Tokyo.
    expect(formatInstant(iso, 'date', 'en-GB', 'Asia/Tokyo')).toBe('2 December 2026');
    expect(formatInstant(iso, 'date', 'de-DE', 'UTC')).toBe('1. Dezember 2026');
    const now = Date.parse(iso);
    expect(relativeTime(new Date(now - 5 * 60_000).toISOString(), 'en', now)).toBe('5 minutes ago');
    expect(relativeTime(new Date(now - 3 * 86_400_000).toISOString(), 'de', now)).toBe('vor 3 Tagen');
  });
});
