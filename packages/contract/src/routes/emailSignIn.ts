import { z } from 'zod';
import { endpoint } from '../endpoint.js';
import { LIMITS, opaqueToken } from '../fields.js';
import { AuthResult, MfaChallenge } from '../schemas.js';

/**
 * Beyond the contract: which ways of signing in this server offers (for the login page), and
 * sign-in by an emailed code or link (EMAIL_SIGNIN; EMAIL_SIGNUP also makes passwordless accounts).
 */

const tags = ['email-sign-in'];
const address = z.string({ message: 'Enter your email address.' }).trim().min(3, 'Enter your email address.').max(LIMITS.loginEmailMax, 'Email is too long.');
export const emailCode = z
  .string({ message: 'Enter the 6-digit code.' })
  .trim()
  .regex(/^\d{6}$/, 'Enter the 6-digit code from the mail.');

export const methods = endpoint({
  method: 'get',
  path: '/api/auth/sign-in-methods',
  auth: 'none',
  tags,
  extension: true,
  summary: 'The ways of signing in this server offers (not in the contract)',
  description: 'Not in the contract: an extension. `emailCode`: `EMAIL_SIGNIN`; `emailSignUp`: `EMAIL_SIGNUP` (a code to an unknown address makes an account).',
  status: 200,
  response: z.object({ passkeys: z.boolean(), emailCode: z.boolean(), emailSignUp: z.boolean() }),
  cache: 'no-cache',
});

export const request = endpoint({
  method: 'post',
  path: '/api/auth/email-sign-in',
  auth: 'none',
  tags,
  extension: true,
  summary: 'Mail a sign-in code and link (not in the contract)',
  description:
    'Not in the contract: an extension, `404` unless `EMAIL_SIGNIN=true`. Always `202`, answered before any work, whether or not an account has the address: one mail with a 6-digit code and a link, both single use, valid 10 minutes (stored as keyed hashes), to an address with an account, or to any address with `EMAIL_SIGNUP=true`. A new request retires the earlier codes of the address. Limits: `RATE_LIMIT_EMAIL_SIGNIN` (5 per hour) per address asked for and `RATE_LIMIT_EMAIL_SIGNIN_PER_IP` (20 per hour) per client, counted for unknown addresses too: `429`.',
  body: z.object({ email: address }),
  status: 202,
  errors: [404, 429],
  rateLimit: 'login',
});

export const redeem = endpoint({
  method: 'post',
  path: '/api/auth/email-sign-in/redeem',
  auth: 'none',
  tags,
  extension: true,
  summary: 'Sign in with the mailed code or link (not in the contract)',
  description:
    "Not in the contract: an extension, `404` unless `EMAIL_SIGNIN=true`. Either `{ email, code }` or the link's `{ token }`. A wrong, expired or used code is `401 INVALID_CREDENTIALS`, the same for an unknown address; a code allows 5 tries, and tries count against the login limits for the account (`429`). Redeeming verifies the address. An account with two-step verification answers `{ mfaRequired: true, mfaToken, … }` as login does. Signed in as for login (`amr` `otp`).",
  requestHeaders: { 'X-Token-Transport': '`body`: the refresh token comes back in the JSON field `refreshToken` and no cookie is set.' },
  body: z.union([z.strictObject({ email: address, code: emailCode }), z.strictObject({ token: opaqueToken })], {
    message: 'Send email with code, or token.',
  }),
  status: 200,
  response: z.union([AuthResult, MfaChallenge]),
  errors: [401, 403, 404],
  rateLimit: 'login',
});
