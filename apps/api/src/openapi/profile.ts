import { errors, json } from './components.js';

/**
 * Self-service on `/api/auth/me` (not in the contract): a new display name, and deleting one's own
 * account. Operations only: auth.ts adds them to its `/api/auth/me` entry, beside `get`.
 */

const bearer = [{ bearer: [] }];
const userBody = json({ type: 'object', required: ['user'], properties: { user: { $ref: '#/components/schemas/User' } } });

export const profileOperations = {
  patch: {
    summary: 'Change the display name (not in the contract)',
    description:
      'Not in the contract: an extension. The body holds `displayName` and nothing else: any other field (`role`, `email`, `emailVerified`, `id`, …) is `400 VALIDATION_FAILED` and nothing changes. The name is checked as at registration (trimmed, 1 to 100 characters, no control characters). Writes the audit event `user.updated` with `details: { fields: ["displayName"] }` (never the values). `Cache-Control: no-store`.',
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
