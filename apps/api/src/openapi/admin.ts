import { errors, json } from './components.js';
// Until admin is defined in packages/contract (then pagination comes from its query schema).
const pageParameters = [
  { name: 'page', in: 'query', required: false, schema: { type: 'integer', minimum: 1, default: 1 } },
  { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
];

/** `/api/admin`: user management and the audit log. Every operation needs the `manage_users` permission (admin). */

const bearer = [{ bearer: [] }];
const user = { $ref: '#/components/schemas/User' };
const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, description: 'A malformed or unknown id is `404`.' };
const Session = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    createdAt: { type: 'string', format: 'date-time' },
    lastActiveAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time' },
    ip: { type: ['string', 'null'] },
    userAgent: { type: ['string', 'null'] },
    device: { type: ['string', 'null'] },
    current: { type: 'boolean' },
  },
};
const AuditEvent = {
  type: 'object',
  required: ['id', 'type', 'userId', 'actorId', 'ip', 'userAgent', 'createdAt', 'details'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    type: { type: 'string', examples: ['user.role_changed'] },
    userId: { type: ['string', 'null'], format: 'uuid', description: 'The user the event is about.' },
    actorId: { type: ['string', 'null'], format: 'uuid', description: 'Who did it: the user themself, an admin, or null (system, CLI, unknown email).' },
    ip: { type: ['string', 'null'] },
    userAgent: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
    details: { type: 'object', description: 'Event-specific facts; never a secret (no passwords, tokens or codes).' },
  },
};
export const ADMIN_MFA_NOTE = 'Not in the contract: with ADMIN_REQUIRE_MFA=true also a session signed in with a second factor (token `amr` has `mfa`), else 403 FORBIDDEN.';
const common = { security: bearer, 'x-permission': 'manage_users', 'x-admin-require-mfa': ADMIN_MFA_NOTE };

export const adminPaths = {
  '/api/admin/users': {
    get: {
      ...common,
      summary: 'List and search users',
      description: '`query` matches email and display name, case-insensitively, as literal text. Newest first.',
      parameters: [{ name: 'query', in: 'query', required: false, schema: { type: 'string', maxLength: 200 } }, ...pageParameters],
      responses: {
        '200': { description: 'A page of users.', ...json({ type: 'object', required: ['users', 'total', 'page', 'limit'], properties: { users: { type: 'array', items: user }, total: { type: 'integer' }, page: { type: 'integer' }, limit: { type: 'integer' } } }) },
        ...errors(400, 401, 403),
      },
    },
  },
  '/api/admin/users/{id}': {
    get: {
      ...common,
      summary: 'One user with their live sessions',
      parameters: [id],
      responses: { '200': { description: 'The user.', ...json({ type: 'object', required: ['user', 'sessions'], properties: { user, sessions: { type: 'array', items: Session } } }) }, ...errors(401, 403, 404) },
    },
    patch: {
      ...common,
      summary: 'Change a user\'s role',
      description: 'Takes effect at once: access tokens carrying the old role are refused (`401 INVALID_TOKEN`), so the client refreshes and gets the new role. `409 LAST_ADMIN` when it would leave no admin.',
      parameters: [id],
      requestBody: json({ type: 'object', required: ['role'], properties: { role: { enum: ['user', 'moderator', 'admin'] } } }),
      responses: { '200': { description: 'The changed user.', ...json({ type: 'object', required: ['user'], properties: { user } }) }, ...errors(400, 401, 403, 404, 409) },
    },
    delete: {
      ...common,
      summary: 'Delete a user',
      description: 'Their sessions, tokens and projects go with them, and their access tokens are refused at once. `409 LAST_ADMIN` for the last admin.',
      parameters: [id],
      responses: { '204': { description: 'Deleted.' }, ...errors(401, 403, 404, 409) },
    },
  },
  '/api/admin/users/{id}/sessions/revoke': {
    post: {
      ...common,
      summary: 'Sign a user out everywhere',
      description: 'Revokes every session of the user; their access tokens are refused at once.',
      parameters: [id],
      responses: { '204': { description: 'Revoked.' }, ...errors(401, 403, 404) },
    },
  },
  '/api/admin/users/{id}/mfa/reset': {
    post: {
      ...common,
      summary: 'Reset a user\'s two-step verification (not in the contract)',
      description:
        'Not in the contract: an extension. For a user who lost their authenticator and recovery codes, or whose account someone else enrolled. Deletes the TOTP credential and every recovery code, ends any MFA sign-in in progress, clears the wrong-code lock (`MFA_MAX_CONSECUTIVE_FAILURES`), and revokes every session of the user (their access tokens are refused at once). Audited as `mfa.reset` with the admin as actor; the user is mailed. `403 FORBIDDEN` for one\'s own account (use `POST /api/auth/mfa/totp/disable`); `409 CONFLICT` when MFA is off and no wrong codes are counted. Also `npm run cli -- reset-mfa <email>`.',
      parameters: [id],
      responses: {
        '200': { description: 'Reset.', ...json({ type: 'object', required: ['user', 'sessionsRevoked'], properties: { user, sessionsRevoked: { type: 'integer', minimum: 0 } } }) },
        ...errors(401, 403, 404, 409),
      },
    },
  },
  '/api/admin/audit-events': {
    get: {
      ...common,
      summary: 'The audit log, newest first',
      parameters: [
        { name: 'userId', in: 'query', required: false, schema: { type: 'string', format: 'uuid' } },
        { name: 'actorId', in: 'query', required: false, schema: { type: 'string', format: 'uuid' } },
        { name: 'type', in: 'query', required: false, schema: { type: 'string' }, description: 'An exact event type, e.g. `login.failed`.' },
        ...pageParameters,
      ],
      responses: {
        '200': { description: 'A page of events.', ...json({ type: 'object', required: ['events', 'total', 'page', 'limit'], properties: { events: { type: 'array', items: AuditEvent }, total: { type: 'integer' }, page: { type: 'integer' }, limit: { type: 'integer' } } }) },
        ...errors(400, 401, 403),
      },
    },
  },
};
