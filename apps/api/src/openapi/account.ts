import { errors, json } from './components.js';

/** Account lifecycle: email verification, password forgot/reset/change, TOTP MFA and the MFA login step. */

const authResult = json({ $ref: '#/components/schemas/AuthResult' });
const bearer = [{ bearer: [] }];
const str = (description?: string) => ({ type: 'string', ...(description ? { description } : {}) });
const body = (required: string[], properties: Record<string, unknown>) => json({ type: 'object', required, properties, additionalProperties: false });

export const accountPaths = {
  '/api/auth/login/mfa': {
    post: {
      summary: 'Second step of a login with MFA',
      description:
        'Completes a login that answered `{ mfaRequired: true, mfaToken }`. Send either a 6-digit TOTP `code` (accepted once; one 30-second step of clock drift either way) or a `recoveryCode` (single use; case, spaces and dashes ignored). The mfaToken lives 5 minutes and is used up by the first right code. After 5 wrong codes it answers `429` until it would have expired; sign in again with the password. Every code also counts against the account\'s overall login budget (RATE_LIMIT_LOGIN_PER_ACCOUNT, from every address; a right code gives its attempt back), so new mfaTokens do not buy new guesses: over it, `429`.\n\nBeyond the contract: wrong codes in a row are also counted over every sign-in (`users.second_factor_failures`, NIST 800-63B 5.2.2); a right code sets the count back to 0. At `MFA_MAX_CONSECUTIVE_FAILURES` (100) the second factor is locked: every code, right or wrong, is refused with `401 INVALID_MFA_CODE` and a message (also in `details`, field `code`) that says the account must be recovered, until a password reset or an admin\'s MFA reset (`POST /api/admin/users/{id}/mfa/reset`). The holder is mailed at 10 wrong codes in a row and when it locks; `mfa.locked` is audited.\n\nBeyond the contract: after a provider sign-in that matched this account by its verified address, the identity is linked only here, once the code was right, and only when the request carries the `portcullis_oauth_link` cookie bound to this very challenge (see the OAuth callback); the link is audited (`oauth.linked`) and mailed.',
      parameters: [{ name: 'X-Token-Transport', in: 'header', required: false, schema: { enum: ['body'] } }],
      requestBody: json({
        oneOf: [
          { type: 'object', required: ['mfaToken', 'code'], properties: { mfaToken: str(), code: { type: 'string', pattern: '^\\d{6}$' } }, additionalProperties: false },
          { type: 'object', required: ['mfaToken', 'recoveryCode'], properties: { mfaToken: str(), recoveryCode: str('e.g. abcd-efgh-ijkl-mnop') }, additionalProperties: false },
        ],
      }),
      responses: { '200': { description: 'Signed in, as for login; refresh cookie set.', ...authResult }, ...errors(400, 401, 429) },
    },
  },
  '/api/auth/password/change': {
    post: {
      summary: 'Change the password',
      description: 'Every other session of the user is revoked at once (their access tokens are refused from the next request); this one stays. Outstanding reset links and pending MFA logins are retired, and a notice is mailed.',
      security: bearer,
      requestBody: body(['currentPassword', 'newPassword'], { currentPassword: str(), newPassword: str('Must meet the password policy.') }),
      responses: { '204': { description: 'Changed.' }, ...errors(400, 401, 429) },
    },
  },
  '/api/auth/password/forgot': {
    post: {
      summary: 'Ask for a password reset link',
      description: 'Always `202`, in the same time, whether or not an account has this address; a known address is mailed a single-use link valid 1 hour (`{WEB_URL}/reset-password?token=…`). Limits: `RATE_LIMIT_PASSWORD_FORGOT` (5 per hour) per address asked for, and `RATE_LIMIT_PASSWORD_FORGOT_PER_IP` (20 per hour, counted before the body is read; beyond the contract) per client address, across accounts: `429 RATE_LIMITED` with `Retry-After`.',
      requestBody: body(['email'], { email: str() }),
      responses: { '202': { description: 'Accepted.' }, ...errors(400, 429) },
    },
  },
  '/api/auth/password/reset': {
    post: {
      summary: 'Set a new password with a reset token',
      description: 'Every session of the user is revoked; a notice is mailed. Following the link also marks the address verified.',
      requestBody: body(['token', 'newPassword'], { token: str('From the reset link.'), newPassword: str('Must meet the password policy.') }),
      responses: { '204': { description: 'Password reset.' }, ...errors(400) },
    },
  },
  '/api/auth/email/verify': {
    post: {
      summary: 'Verify the email address with the mailed token',
      requestBody: body(['token'], { token: str('From the verification link (valid 24 h, single use).') }),
      responses: { '200': { description: 'Verified.', ...json({ type: 'object', required: ['user'], properties: { user: { $ref: '#/components/schemas/User' } } }) }, ...errors(400) },
    },
  },
  '/api/auth/email/verify/resend': {
    post: {
      summary: 'Mail a new verification link',
      description: 'Does nothing (still `202`) when the address is verified already.',
      security: bearer,
      responses: { '202': { description: 'Accepted.' }, ...errors(401, 429) },
    },
  },
  '/api/auth/mfa/totp/setup': {
    post: {
      summary: 'Start TOTP setup',
      description: 'Creates a new secret (RFC 6238: SHA-1, 6 digits, 30 s), stored encrypted and not in force until enabled. Calling it again before enabling replaces the secret. `409 CONFLICT` while MFA is on.',
      security: bearer,
      responses: {
        '200': {
          description: 'The secret, for an authenticator app.',
          ...json({ type: 'object', required: ['secret', 'otpauthUrl', 'qrCodeDataUrl'], properties: { secret: str('Base32.'), otpauthUrl: str('otpauth://totp/…'), qrCodeDataUrl: str('data:image/png;base64,…') } }),
        },
        ...errors(401, 409),
      },
    },
  },
  '/api/auth/mfa/totp/enable': {
    post: {
      summary: 'Turn TOTP on with a code from the app',
      description: [
        'Returns 10 single-use recovery codes, shown only this once (stored hashed). A notice is mailed; `mfa.enabled` is audited (with `reauthenticatedBy`).',
        'Beyond the contract (an extension): turning MFA on re-authenticates, since a stolen access token must not enrol the thief\'s authenticator. Either the session was signed in (not refreshed) within the last 10 minutes, or the body also carries the account\'s `password` (optional field, not in the contract; checked whenever it is sent, on the login limits). Otherwise `401 INVALID_CREDENTIALS`: `details: [{ field: "password", … }]` for an account with a password (send it, or sign in again), `[{ field: "session", … }]` for one without (sign in again, then retry). A wrong password is `401 INVALID_CREDENTIALS` (field `password`); repeated ones `429`.',
      ].join('\n\n'),
      security: bearer,
      requestBody: body(['code'], { code: { type: 'string', pattern: '^\\d{6}$' }, password: str('Not in the contract. The account\'s password; needed unless the session was signed in within the last 10 minutes.') }),
      responses: {
        '200': { description: 'Enabled.', ...json({ type: 'object', required: ['recoveryCodes'], properties: { recoveryCodes: { type: 'array', items: { type: 'string' }, minItems: 10, maxItems: 10 } } }) },
        ...errors(400, 401, 409, 429),
      },
    },
  },
  '/api/auth/mfa/totp/disable': {
    post: {
      summary: 'Turn TOTP off',
      description: [
        'Needs the password and a current TOTP code or an unused recovery code (for a lost phone). Removes the secret and every recovery code; a notice is mailed. `409 CONFLICT` when MFA is not on. Each attempt counts against the login limits for the account until it succeeds, so wrong passwords and wrong codes alike lead to `429`.',
        'Not in the contract (an extension): an account without a password (OAuth sign-in only) sends no `password`. Its session must have been signed in within the last 10 minutes instead (refreshing does not count); an older one is `401 INVALID_CREDENTIALS` with `details: [{ field: "session", … }]`: sign in again, then retry. Its wrong codes count against the account\'s overall login budget (RATE_LIMIT_LOGIN_PER_ACCOUNT), as codes at login do. An account with a password that omits it gets `400 VALIDATION_FAILED` (field `password`).',
      ].join('\n\n'),
      security: bearer,
      requestBody: body(['code'], { password: str('Required when the account has a password.'), code: str('A 6-digit TOTP code or a recovery code.') }),
      responses: { '204': { description: 'Disabled.' }, ...errors(400, 401, 409, 429) },
    },
  },
  '/api/auth/mfa/recovery-codes': {
    get: {
      summary: 'How many recovery codes are left (not in the contract)',
      description:
        'Not in the contract: an extension. The number of unused recovery codes of the signed-in user. `{ remaining: 0 }` when MFA is off (there are no codes then); whether MFA is on is `user.mfaEnabled`.',
      security: bearer,
      responses: {
        '200': { description: 'The count.', ...json({ type: 'object', required: ['remaining'], properties: { remaining: { type: 'integer', minimum: 0, maximum: 10 } }, additionalProperties: false }) },
        ...errors(401),
      },
    },
  },
  '/api/auth/mfa/recovery-codes/regenerate': {
    post: {
      summary: 'Replace the recovery codes with a new set (not in the contract)',
      description:
        'Not in the contract: an extension. Needs the password and a current 6-digit TOTP code (accepted once, as everywhere; a recovery code is not accepted here). Replaces every recovery code, used or not, with 10 new ones in one transaction: the old ones stop working at once. Writes the audit event `mfa.recovery_codes_regenerated` and mails a notice. Errors as for disable: `401 INVALID_CREDENTIALS` (wrong password), `409 CONFLICT` (MFA is not on), `400 INVALID_MFA_CODE` (wrong or already used code). Each attempt counts against the login limits for the account until it succeeds, so wrong passwords and wrong codes alike lead to `429`. An account without a password sends none and proves itself by a sign-in of the last 10 minutes, exactly as for disable. `Cache-Control: no-store`.',
      security: bearer,
      requestBody: body(['code'], { password: str('Required when the account has a password.'), code: { type: 'string', pattern: '^\\d{6}$' } }),
      responses: {
        '200': { description: 'The new codes, shown only this once (stored hashed).', ...json({ type: 'object', required: ['recoveryCodes'], properties: { recoveryCodes: { type: 'array', items: { type: 'string' }, minItems: 10, maxItems: 10 } } }) },
        ...errors(400, 401, 409, 429),
      },
    },
  },
  '/api/dev/outbox': {
    get: {
      summary: 'Development outbox (not in production, not with SMTP_URL, loopback clients only)',
      description: 'Beyond the contract, for development: every message the API sent, newest first, so sign-up and reset work without a mail server. Served only when `NODE_ENV` is not `production` and no `SMTP_URL` is set, and only to a client on the same machine: the connection, the client address under `TRUST_PROXY`, and every address in `X-Forwarded-For`/`X-Real-IP` must be loopback, and no `Forwarded` header may be present. Otherwise `404 NOT_FOUND`, as for a route that does not exist.',
      responses: {
        '200': {
          description: 'Messages.',
          ...json({
            type: 'object',
            required: ['messages'],
            properties: {
              messages: {
                type: 'array',
                items: { type: 'object', required: ['to', 'subject', 'text', 'html', 'sentAt'], properties: { to: str(), subject: str(), text: str(), html: str(), sentAt: { type: ['string', 'null'], format: 'date-time' } } },
              },
            },
          }),
        },
        ...errors(404),
      },
    },
  },
};
