import { z } from 'zod';
import { endpoint } from '../endpoint.js';
import { email, LIMITS, opaqueToken, reauthPassword } from '../fields.js';
import { User } from '../schemas.js';

/**
 * `/api/auth` account lifecycle: password change, forgot and reset, email verification and a
 * change of address (the change is beyond the contract). Tokens arrive in JSON bodies only, never
 * in a URL. The password policy is configured (PASSWORD_MIN_LENGTH, …): the API checks it beside
 * these schemas, so `newPassword` here is only "some text".
 */

const tags = ['account'];
const withUser = z.object({ user: User });
const newPassword = z.string({ message: 'Enter a password.' }).meta({ description: 'Must meet the password policy.' });
const password = reauthPassword.meta({ description: 'Required when the account has a password.' });

export const changePassword = endpoint({
  method: 'post',
  path: '/api/auth/password/change',
  auth: 'bearer',
  tags,
  summary: 'Change the password',
  description:
    'Every other session of the user is revoked at once (their access tokens are refused from the next request); this one stays. Outstanding reset links and pending MFA logins are retired, and a notice is mailed. A wrong `currentPassword` is `401 INVALID_CREDENTIALS`; attempts count against the login limits for the account (`429`).',
  body: z.object({
    currentPassword: z.string({ message: 'Enter your current password.' }).min(1, 'Enter your current password.').max(LIMITS.loginPasswordMax),
    newPassword,
  }),
  status: 204,
  errors: [429],
});

export const forgotPassword = endpoint({
  method: 'post',
  path: '/api/auth/password/forgot',
  auth: 'none',
  tags,
  summary: 'Ask for a password reset link',
  description:
    'Always `202`, in the same time, whether or not an account has this address; a known address is mailed a single-use link valid 1 hour (`{WEB_URL}/reset-password?token=…`). Limits: `RATE_LIMIT_PASSWORD_FORGOT` (5 per hour) per address asked for, and `RATE_LIMIT_PASSWORD_FORGOT_PER_IP` (20 per hour, counted before the body is read; beyond the contract) per client address, across accounts: `429 RATE_LIMITED` with `Retry-After`.',
  // Looser than `email`: any address is answered the same, so it is only bounded, not judged.
  body: z.object({
    email: z.string({ message: 'Enter your email address.' }).trim().min(3, 'Enter your email address.').max(LIMITS.loginEmailMax, 'Email is too long.'),
  }),
  status: 202,
  rateLimit: 'password_forgot',
});

export const resetPassword = endpoint({
  method: 'post',
  path: '/api/auth/password/reset',
  auth: 'none',
  tags,
  summary: 'Set a new password with a reset token',
  description:
    'Every session of the user is revoked; a notice is mailed. Following the link also marks the address verified. Unknown, used or expired (after 1 hour) token: `400 INVALID_TOKEN`.',
  body: z.object({ token: opaqueToken.meta({ description: 'From the reset link.' }), newPassword }),
  status: 204,
});

export const checkResetLink = endpoint({
  method: 'post',
  path: '/api/auth/password/reset/check',
  auth: 'none',
  tags,
  extension: true,
  summary: 'Whether a reset link still works, before a new password is typed (not in the contract)',
  description:
    "Not in the contract: an extension. Uses nothing up: the reset page asks when it opens, so a dead link is said at once rather than after two passwords were typed. Answers the account's address (the holder of the link was mailed it), which the page gives password managers as the username. Unknown, used or expired token: `400 INVALID_TOKEN`. Counted against the per-address login limit (`429`).",
  body: z.object({ token: opaqueToken.meta({ description: 'From the reset link.' }) }),
  status: 200,
  response: z.object({ email: z.string() }),
  rateLimit: 'login',
});

export const commonPasswords = endpoint({
  method: 'get',
  path: '/api/auth/password/common',
  auth: 'none',
  tags,
  extension: true,
  summary: 'Common passwords by hash prefix, for a live "not a common password" check (not in the contract)',
  description:
    'Not in the contract: an extension. `prefix` is the first 5 hex characters of the SHA-256 of the lower-cased password; the answer lists the rest of the hash of every common password (the list the API refuses) with that prefix, so a form can tell while the person types without the password or its whole hash leaving the browser (k-anonymity, as the Have I Been Pwned range API). Cacheable for a day.',
  query: z.object({ prefix: z.string().regex(/^[0-9a-fA-F]{5}$/, 'prefix must be 5 hexadecimal characters.') }),
  status: 200,
  response: z.object({ suffixes: z.array(z.string()) }),
  cache: 'public, max-age=86400',
});

export const verifyEmail = endpoint({
  method: 'post',
  path: '/api/auth/email/verify',
  auth: 'none',
  tags,
  summary: 'Verify the email address with the mailed token',
  description: 'Answers the user with `emailVerified: true`. Unknown, used or expired (after 24 hours) token: `400 INVALID_TOKEN`.',
  body: z.object({ token: opaqueToken.meta({ description: 'From the verification link (valid 24 h, single use).' }) }),
  status: 200,
  response: withUser,
});

export const resendVerification = endpoint({
  method: 'post',
  path: '/api/auth/email/verify/resend',
  auth: 'bearer',
  tags,
  summary: 'Mail a new verification link',
  description: 'Does nothing (still `202`) when the address is verified already. At most 5 per account per hour (`429`).',
  status: 202,
  errors: [429],
});

export const requestEmailChange = endpoint({
  method: 'post',
  path: '/api/auth/email/change',
  auth: 'bearer',
  tags,
  extension: true,
  summary: 'Ask to change the email address (not in the contract)',
  description: [
    'Not in the contract: an extension. `newEmail` is checked and trimmed as at registration; the same address as now (whatever its case) is `400 VALIDATION_FAILED`. Proof besides the access token, as for deleting the account: `password` for an account with one (missing: `400 VALIDATION_FAILED`; wrong: `401 INVALID_CREDENTIALS`, counted against the login limits), none for an account without one, whose session must have been signed in within the last 10 minutes (else `401 INVALID_CREDENTIALS` with `details: [{ field: "session", … }]`).',
    "Then `202` whether or not `newEmail` already belongs to another account: the answer never tells. A free address is mailed a single-use link valid 24 hours (`{WEB_URL}/confirm-email-change?token=…`; only the token's SHA-256 is stored, with the pending address); an address with an account is mailed a short note that someone tried to use it, and no link. Either way the current address is mailed a notice naming the new one masked (`n***@example.com`). A new request retires the links of older ones. Nothing changes until the link is followed; sessions are kept (access tokens carry no address).",
    '`RATE_LIMIT_EMAIL_CHANGE` (default 5 per hour) per account, counted once the proof was right: `429 RATE_LIMITED`.',
  ].join('\n\n'),
  body: z.strictObject({ newEmail: email, password }),
  status: 202,
  errors: [429],
});

export const confirmEmailChange = endpoint({
  method: 'post',
  path: '/api/auth/email/change/confirm',
  auth: 'none',
  tags,
  extension: true,
  summary: 'Confirm a change of email address with the mailed token (not in the contract)',
  description:
    "Not in the contract: an extension. No bearer: the link may be opened on another device. Uses the token once and, in one transaction, makes its address the account's, marked verified (the link proved it); outstanding email-change, password-reset and verification links (all mailed to the old address) stop working; the old address is mailed a notice; the audit event `user.email_changed` is written with no address in it. Unknown, used or expired token: `400 INVALID_TOKEN`. `409 EMAIL_TAKEN` when another account took the address after the request: nothing changes and the token is not used up. Answers the user with the new address.",
  body: z.strictObject({ token: opaqueToken.meta({ description: 'From the link (valid 24 h, single use).' }) }),
  status: 200,
  response: withUser,
  errors: [409],
});
