// The password policy's parts that do not depend on configuration, as plain data (no zod, no
// imports): the API's checkPasswordPolicy judges with them, the web app shows them as a checklist
// before submit. The lengths are the API's settings (PASSWORD_MIN_LENGTH; LIMITS.passwordMax).

/** PASSWORD_MIN_LENGTH when not configured: what a form shows before the API has judged. */
export const DEFAULT_PASSWORD_MIN_LENGTH = 8;

export interface PasswordClass {
  id: 'upper' | 'lower' | 'digit' | 'symbol';
  /** No `g` flag: `test` keeps no state between calls. */
  pattern: RegExp;
  /** In the API's message, after "Password needs " (keep byte-identical: clients may show it). */
  need: string;
  /** In the web app's checklist. */
  label: string;
}

/** With PASSWORD_REQUIRE_CLASSES (the default), a password needs one character of each. */
export const PASSWORD_CLASSES: readonly PasswordClass[] = Object.freeze([
  { id: 'upper', pattern: /[A-Z]/, need: 'an upper-case letter', label: 'An upper-case letter' },
  { id: 'lower', pattern: /[a-z]/, need: 'a lower-case letter', label: 'A lower-case letter' },
  { id: 'digit', pattern: /[0-9]/, need: 'a digit', label: 'A digit' },
  { id: 'symbol', pattern: /[^A-Za-z0-9]/, need: 'a symbol', label: 'A symbol, such as ! ? # or %' },
]);
