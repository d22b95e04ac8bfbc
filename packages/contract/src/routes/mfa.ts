import { z } from 'zod';
import { endpoint } from '../endpoint.js';
import { opaqueToken, reauthPassword, recoveryCode, totpCode } from '../fields.js';
import { AuthResult } from '../schemas.js';

/** `/api/auth` TOTP MFA: the second step of a login, enrolment, turning it off, recovery codes. */

const tags = ['mfa'];
const password = reauthPassword.meta({ description: 'Required when the account has a password.' });
const recoveryCodes = z.object({ recoveryCodes: z.array(z.string()).min(10).max(10) });
const reauthNote =
  'An account without a password (OAuth sign-in only) sends no `password`: its session must have been signed in within the last 10 minutes instead (refreshing does not count); an older one is `401 INVALID_CREDENTIALS` with `details: [{ field: "session", … }]`: sign in again, then retry.';

export const loginMfa = endpoint({
  method: 'post',
  path: '/api/auth/login/mfa',
  auth: 'none',
  tags,
  summary: 'Second step of a login with MFA',
  description: [
    "Completes a login that answered `{ mfaRequired: true, mfaToken }`. Send either a 6-digit TOTP `code` (accepted once; one 30-second step of clock drift either way) or a `recoveryCode` (single use; case, spaces and dashes ignored). The mfaToken lives 5 minutes and is used up by the first right code (else `401 INVALID_TOKEN`); a wrong code is `401 INVALID_MFA_CODE`. After 5 wrong codes it answers `429` until it would have expired; sign in again with the password. Every code also counts against the account's overall login budget (RATE_LIMIT_LOGIN_PER_ACCOUNT, from every address; a right code gives its attempt back), so new mfaTokens do not buy new guesses: over it, `429`. Signed in as for login: with `X-Token-Transport: body` the refresh token comes in the body and no cookie is set.",
    "Beyond the contract: wrong codes in a row are also counted over every sign-in (`users.second_factor_failures`, NIST 800-63B 5.2.2); a right code sets the count back to 0. At `MFA_MAX_CONSECUTIVE_FAILURES` (100) the second factor is locked: every code, right or wrong, is refused with `401 INVALID_MFA_CODE` and a message (also in `details`, field `code`) that says the account must be recovered, until a password reset or an admin's MFA reset (`POST /api/admin/users/{id}/mfa/reset`). The holder is mailed at 10 wrong codes in a row and when it locks; `mfa.locked` is audited.",
    'Beyond the contract: after a provider sign-in that matched this account by its verified address, the identity is linked only here, once the code was right, and only when the request carries the `portcullis_oauth_link` cookie bound to this very challenge (see the OAuth callback); the link is audited (`oauth.linked`) and mailed.',
  ].join('\n\n'),
  body: z.union(
    [
      z.strictObject({ mfaToken: opaqueToken, code: totpCode }),
      z.strictObject({ mfaToken: opaqueToken, recoveryCode: recoveryCode.meta({ description: 'e.g. abcd-efgh-ijkl-mnop' }) }),
    ],
    { message: 'Send mfaToken with either code or recoveryCode.' },
  ),
  status: 200,
  response: AuthResult,
  errors: [401],
  rateLimit: 'login',
  requestHeaders: { 'X-Token-Transport': '`body` (mobile, CLI): the refresh token comes back in the JSON field `refreshToken` and no cookie is set.' },
  headers: {
    'Cache-Control': '`no-store`: tokens are never cached.',
    'Set-Cookie': '`refresh_token` and `portcullis_session`, as for login (`POST /api/auth/login`). Not set with `X-Token-Transport: body`.',
  },
});

export const setupTotp = endpoint({
  method: 'post',
  path: '/api/auth/mfa/totp/setup',
  auth: 'bearer',
  tags,
  summary: 'Start TOTP setup',
  description:
    'Creates a new secret (RFC 6238: SHA-1, 6 digits, 30 s), stored encrypted and not in force until enabled. Calling it again before enabling replaces the secret. `409 CONFLICT` while MFA is on.',
  status: 200,
  response: z.object({
    secret: z.string().meta({ description: 'Base32.' }),
    otpauthUrl: z.string().meta({ description: 'otpauth://totp/…' }),
    qrCodeDataUrl: z.string().meta({ description: 'data:image/png;base64,…' }),
  }),
  errors: [409],
});

export const enableTotp = endpoint({
  method: 'post',
  path: '/api/auth/mfa/totp/enable',
  auth: 'bearer',
  tags,
  summary: 'Turn TOTP on with a code from the app',
  description: [
    'Returns 10 single-use recovery codes, shown only this once (stored hashed). A wrong code is `400 INVALID_MFA_CODE`; `409 CONFLICT` when MFA is on already. A notice is mailed; `mfa.enabled` is audited (with `reauthenticatedBy`).',
    'Beyond the contract (an extension): turning MFA on re-authenticates, since a stolen access token must not enrol the thief\'s authenticator. Either the session was signed in (not refreshed) within the last 10 minutes, or the body also carries the account\'s `password` (optional field, not in the contract; checked whenever it is sent, on the login limits). Otherwise `401 INVALID_CREDENTIALS`: `details: [{ field: "password", … }]` for an account with a password (send it, or sign in again), `[{ field: "session", … }]` for one without (sign in again, then retry). A wrong password is `401 INVALID_CREDENTIALS` (field `password`); repeated ones `429`.',
  ].join('\n\n'),
  body: z.object({
    code: totpCode,
    password: reauthPassword.meta({
      description: "Not in the contract. The account's password; needed unless the session was signed in within the last 10 minutes.",
    }),
  }),
  status: 200,
  response: recoveryCodes,
  errors: [409, 429],
});

export const disableTotp = endpoint({
  method: 'post',
  path: '/api/auth/mfa/totp/disable',
  auth: 'bearer',
  tags,
  summary: 'Turn TOTP off',
  description: [
    'Needs the password and a current TOTP code or an unused recovery code (for a lost phone). Removes the secret and every recovery code; a notice is mailed. A wrong password is `401 INVALID_CREDENTIALS`, a wrong code `400 INVALID_MFA_CODE`; `409 CONFLICT` when MFA is not on. Each attempt counts against the login limits for the account until it succeeds, so wrong passwords and wrong codes alike lead to `429`.',
    `Not in the contract (an extension): ${reauthNote} Its wrong codes count against the account's overall login budget (RATE_LIMIT_LOGIN_PER_ACCOUNT), as codes at login do. An account with a password that omits it gets \`400 VALIDATION_FAILED\` (field \`password\`).`,
  ].join('\n\n'),
  body: z.object({
    password,
    code: z.string({ message: 'Enter a code.' }).trim().min(1, 'Enter a code.').max(64).meta({ description: 'A 6-digit TOTP code or a recovery code.' }),
  }),
  status: 204,
  errors: [409, 429],
});

export const recoveryCodesLeft = endpoint({
  method: 'get',
  path: '/api/auth/mfa/recovery-codes',
  auth: 'bearer',
  tags,
  extension: true,
  summary: 'How many recovery codes are left (not in the contract)',
  description:
    'Not in the contract: an extension. The number of unused recovery codes of the signed-in user. `{ remaining: 0 }` when MFA is off (there are no codes then); whether MFA is on is `user.mfaEnabled`.',
  status: 200,
  response: z.strictObject({ remaining: z.number().int().min(0).max(10) }),
});

export const regenerateRecoveryCodes = endpoint({
  method: 'post',
  path: '/api/auth/mfa/recovery-codes/regenerate',
  auth: 'bearer',
  tags,
  extension: true,
  summary: 'Replace the recovery codes with a new set (not in the contract)',
  description: `Not in the contract: an extension. Needs the password and a current 6-digit TOTP code (accepted once, as everywhere; a recovery code is not accepted here). Replaces every recovery code, used or not, with 10 new ones in one transaction: the old ones stop working at once. Writes the audit event \`mfa.recovery_codes_regenerated\` and mails a notice. Errors as for disable: \`401 INVALID_CREDENTIALS\` (wrong password), \`409 CONFLICT\` (MFA is not on), \`400 INVALID_MFA_CODE\` (wrong or already used code). Each attempt counts against the login limits for the account until it succeeds, so wrong passwords and wrong codes alike lead to \`429\`. ${reauthNote} The new codes are shown only this once (stored hashed).`,
  body: z.object({ password, code: totpCode }),
  status: 200,
  response: recoveryCodes,
  errors: [409, 429],
});
