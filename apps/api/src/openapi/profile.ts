import { errors, json } from './components.js';

/**
 * Self-service (not in the contract): on `/api/auth/me` a new display name and deleting one's own
 * account (operations only: auth.ts adds them to its `/api/auth/me` entry, beside `get`); and a
 * new email address (paths of their own, listed in index.ts).
 */

const bearer = [{ bearer: [] }];
const userBody = json({ type: 'object', required: ['user'], properties: { user: { $ref: '#/components/schemas/User' } } });

export const profileOperations = {
  patch: {
    summary: 'Change the display name (not in the contract)',
    description:
      'Not in the contract: an extension. The body holds `displayName` and nothing else: any other field (`role`, `email`, `emailVerified`, `id`, …) is `400 VALIDATION_FAILED` and nothing changes. The name is checked as at registration (trimmed, 1 to 100 characters, no control, format or separator characters such as direction overrides and zero-width spaces). Writes the audit event `user.updated` with `details: { fields: ["displayName"] }` (never the values). `Cache-Control: no-store`.',
    security: bearer,
    requestBody: json({ type: 'object', required: ['displayName'], properties: { displayName: { type: 'string', minLength: 1, maxLength: 100 } }, additionalProperties: false }),
    responses: { '200': { description: 'The updated user.', ...userBody }, ...errors(400, 401) },
  },
  delete: {
    summary: 'Delete your own account (not in the contract)',
    description: [
      'Not in the contract: an extension. Deletes the signed-in user with their sessions, refresh tokens, projects, MFA and linked providers; every access token of theirs is refused from the next request (`401 INVALID_TOKEN`) and the cookies are cleared. A notice is mailed to the address and the audit event `user.deleted` is written with `details.via: "self"`.',
      'Proof, besides the access token:',
      '- an account with a password sends `password` (missing: `400 VALIDATION_FAILED`; wrong: `401 INVALID_CREDENTIALS`). Each attempt counts against the login limits for the account until it succeeds, so wrong passwords (and wrong codes) lead to `429 RATE_LIMITED`;',
      '- an account without a password (OAuth sign-in only) sends none: its session must have been signed in within the last 10 minutes (refreshing does not count). An older one is `401 INVALID_CREDENTIALS` with `details: [{ field: "session", … }]`: sign in again, then delete;',
      '- with MFA on, also a 6-digit TOTP `code` (accepted once) or an unused `recoveryCode` (missing: `400 VALIDATION_FAILED`; wrong or already used: `400 INVALID_MFA_CODE`).',
      '`409 LAST_ADMIN` when the account is the only admin: nothing is deleted and no code is spent.',
    ].join('\n'),
    security: bearer,
    requestBody: {
      required: false,
      ...json({
        type: 'object',
        properties: { password: { type: 'string' }, code: { type: 'string', pattern: '^\\d{6}$' }, recoveryCode: { type: 'string', description: 'Instead of `code`, never with it.' } },
        additionalProperties: false,
      }),
    },
    responses: {
      '204': { description: 'Deleted; cookies cleared.', headers: { 'Set-Cookie': { description: 'Clears `refresh_token` and `portcullis_session`.', schema: { type: 'string' } } } },
      ...errors(400, 401, 409, 429),
    },
  },
};

export const emailChangePaths = {
  '/api/auth/email/change': {
    post: {
      summary: 'Ask to change the email address (not in the contract)',
      description: [
        'Not in the contract: an extension. `newEmail` is checked and trimmed as at registration; the same address as now (whatever its case) is `400 VALIDATION_FAILED`. Proof besides the access token, as for deleting the account: `password` for an account with one (missing: `400 VALIDATION_FAILED`; wrong: `401 INVALID_CREDENTIALS`, counted against the login limits), none for an account without one, whose session must have been signed in within the last 10 minutes (else `401 INVALID_CREDENTIALS` with `details: [{ field: "session", … }]`).',
        'Then `202` whether or not `newEmail` already belongs to another account: the answer never tells. A free address is mailed a single-use link valid 24 hours (`{WEB_URL}/confirm-email-change?token=…`; only the token\'s SHA-256 is stored, with the pending address); an address with an account is mailed a short note that someone tried to use it, and no link. Either way the current address is mailed a notice naming the new one masked (`n***@example.com`). A new request retires the links of older ones. Nothing changes until the link is followed; sessions are kept (access tokens carry no address).',
        '`RATE_LIMIT_EMAIL_CHANGE` (default 5 per hour) per account, counted once the proof was right: `429 RATE_LIMITED`.',
      ].join('\n\n'),
      security: bearer,
      requestBody: json({
        type: 'object',
        required: ['newEmail'],
        properties: { newEmail: { type: 'string', format: 'email', maxLength: 254 }, password: { type: 'string', description: 'Required when the account has a password.' } },
        additionalProperties: false,
      }),
      responses: { '202': { description: 'Accepted: check the new address’s inbox.' }, ...errors(400, 401, 429) },
    },
  },
  '/api/auth/email/change/confirm': {
    post: {
      summary: 'Confirm a change of email address with the mailed token (not in the contract)',
      description:
        'Not in the contract: an extension. No bearer: the link may be opened on another device. Uses the token once and, in one transaction, makes its address the account\'s, marked verified (the link proved it); outstanding email-change, password-reset and verification links (all mailed to the old address) stop working; the old address is mailed a notice; the audit event `user.email_changed` is written with no address in it. Unknown, used or expired token: `400 INVALID_TOKEN`. `409 EMAIL_TAKEN` when another account took the address after the request: nothing changes and the token is not used up. `Cache-Control: no-store`.',
      requestBody: json({ type: 'object', required: ['token'], properties: { token: { type: 'string', description: 'From the link (valid 24 h, single use).' } }, additionalProperties: false }),
      responses: { '200': { description: 'Changed: the user with the new address.', ...userBody }, ...errors(400, 409) },
    },
  },
};
