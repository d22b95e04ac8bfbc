import { LIMITS } from '@portcullis/contract/limits';
import { DEFAULT_PASSWORD_MIN_LENGTH, PASSWORD_CLASSES } from '@portcullis/contract/passwordPolicy';

/**
 * The contract's default password policy, shown before submit so people are not surprised. The
 * character classes are the contract's (the API's checkPasswordPolicy judges with the same). The
 * API is the judge (its policy is configurable): its VALIDATION_FAILED messages are shown next to
 * the field whatever these rules say.
 */
export interface PasswordRule {
  /** Its label is the catalogue's `password.rule.<id>` (with `{min}` and `{max}`). */
  id: 'length' | (typeof PASSWORD_CLASSES)[number]['id'];
  test(password: string): boolean;
}

export const MIN = DEFAULT_PASSWORD_MIN_LENGTH;
export const MAX = LIMITS.passwordMax;

export const PASSWORD_RULES: readonly PasswordRule[] = [
  { id: 'length', test: (p) => p.length >= MIN && p.length <= MAX },
  ...PASSWORD_CLASSES.map((kind) => ({ id: kind.id, test: (p: string) => kind.pattern.test(p) })),
];

export function meetsPasswordRules(password: string): boolean {
  return PASSWORD_RULES.every((rule) => rule.test(password));
}
