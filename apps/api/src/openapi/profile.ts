import { errors, json } from './components.js';

/**
 * Self-service (not in the contract): a new email address (paths of their own, listed in index.ts).
 * The display name and account deletion on `/api/auth/me` are defined in packages/contract.
 */

const bearer = [{ bearer: [] }];
const userBody = json({ type: 'object', required: ['user'], properties: { user: { $ref: '#/components/schemas/User' } } });

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
