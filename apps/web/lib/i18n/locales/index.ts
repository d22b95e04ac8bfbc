// The shipped translations. To add a language: write `locales/<tag>.ts` exporting a `Translation`
// (copy keys from ../en, translate the values, keep `{placeholders}`), and list it here.
import type { Translation } from '../core';

export const TRANSLATIONS: Record<string, Translation> = {
  en: {},
};

export const AVAILABLE_LOCALES = Object.keys(TRANSLATIONS);
