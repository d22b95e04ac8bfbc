/**
 * The contract's default password policy, shown before submit so people are not surprised.
 * Same character classes as the API's checkPasswordPolicy. The API is the judge (its policy is configurable): its VALIDATION_FAILED messages are shown
 * next to the field whatever these rules say.
 */
export interface PasswordRule {
  id: string;
  label: string;
  test(password: string): boolean;
}

export const PASSWORD_RULES: readonly PasswordRule[] = [
  { id: 'length', label: '8 to 128 characters', test: (p) => p.length >= 8 && p.length <= 128 },
  { id: 'upper', label: 'An upper-case letter', test: (p) => /[A-Z]/.test(p) },
  { id: 'lower', label: 'A lower-case letter', test: (p) => /[a-z]/.test(p) },
  { id: 'digit', label: 'A digit', test: (p) => /[0-9]/.test(p) },
  { id: 'symbol', label: 'A symbol, such as ! ? # or %', test: (p) => /[^A-Za-z0-9]/.test(p) },
];

export function meetsPasswordRules(password: string): boolean {
  return PASSWORD_RULES.every((rule) => rule.test(password));
}
