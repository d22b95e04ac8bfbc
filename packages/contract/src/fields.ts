import { z } from 'zod';
import { LIMITS } from './limits.js';
import { refuseHiddenCharacters } from './shownText.js';

/**
 * Field rules, written once. The API validates with them, the web app shows their limits, and the
 * messages are the ones a person sees next to the field.
 */

// Plain data in limits.ts, so a browser form can read them without zod.
export { LIMITS };

/** An address as register takes it; a new address for an email change is checked the same way. */
export const email = z
  .string({ message: 'Enter your email address.' })
  .trim()
  .max(LIMITS.email, 'Email is too long.')
  .pipe(z.email({ message: 'Enter a valid email address.' }));

export const displayName = z
  .string({ message: 'Enter your name.' })
  .trim()
  .min(1, 'Enter your name.')
  .max(LIMITS.displayName, `Name must be at most ${LIMITS.displayName} characters.`)
  // No controls, direction overrides or zero-width characters: shownText.ts.
  .superRefine(refuseHiddenCharacters('Name'));

export const projectName = z
  .string({ message: 'Enter a project name.' })
  .trim()
  .min(1, 'Enter a project name.')
  .max(LIMITS.projectName, `Name must be at most ${LIMITS.projectName} characters.`)
  .superRefine(refuseHiddenCharacters('Name'));

export const projectDescription = z
  .string({ message: 'Description must be text.' })
  .max(LIMITS.projectDescription, `Description must be at most ${LIMITS.projectDescription} characters.`)
  .superRefine(refuseHiddenCharacters('Description', { multiline: true }));

/** A six-digit TOTP code, as typed (spaces around it are forgiven). */
export const totpCode = z
  .string({ message: 'Enter the 6-digit code.' })
  .trim()
  .regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app.');

export const recoveryCode = z
  .string({ message: 'Enter a recovery code.' })
  .trim()
  .min(1, 'Enter a recovery code.')
  .max(LIMITS.recoveryCodeMax, 'That is not a recovery code.');

/** A password being proved (not chosen): any non-empty text up to a sane bound. */
export const currentPassword = z.string({ message: 'Enter your password.' }).min(1, 'Enter your password.').max(LIMITS.loginPasswordMax);

/**
 * The password that re-authenticates a sensitive change (MFA, email, deletion): optional, since an
 * account without one proves itself by a sign-in of the last few minutes instead.
 */
export const reauthPassword = currentPassword.optional();

/** The one UUID rule for ids in paths and bodies (lower or upper case). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID_PATTERN.test(value);

/** An opaque token from a link or a cookie (verification, reset, refresh): bounded, never parsed. */
export const opaqueToken = z.string({ message: 'The token is missing.' }).min(1, 'The token is missing.').max(512, 'The token is not valid.');

const integer = (name: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,6}$/, `${name} must be a whole number.`)
    .transform(Number)
    .pipe(z.number().min(min, `${name} must be at least ${min}.`).max(max, `${name} must be at most ${max}.`))
    .default(fallback);

/** `page` ≥ 1 and `limit` 1–100, defaults 1 and 20: the one rule of every list. */
export const pagination = {
  page: integer('page', 1, 100_000, 1),
  limit: integer('limit', 1, 100, 20),
};
