import { z } from 'zod';
import { ROLES } from '../access.js';
import { AUDIT_EVENT_TYPES } from '../codes.js';
import { endpoint } from '../endpoint.js';
import { pagination, reauthPassword, UUID_PATTERN } from '../fields.js';
import { AuditEvent, pageOf, Session, User } from '../schemas.js';

/**
 * `/api/admin`: user management, the audit log and signing-key rotation. Every endpoint needs
 * `manage_users` (auth `admin`); beyond the contract, with ADMIN_REQUIRE_MFA=true also a session
 * signed in with a second factor (the token's `amr` has `mfa`), else `403 FORBIDDEN`.
 */

const tags = ['admin'];
const notFound = 'No such user.';
const idNote = ' A malformed or unknown id is `404 NOT_FOUND`.';

const uuidFilter = (name: string, description: string) =>
  z
    .string()
    .regex(UUID_PATTERN, `${name} must be a user id (UUID).`)
    .transform((v) => v.toLowerCase())
    .optional()
    .meta({ description });

export const listUsers = endpoint({
  method: 'get',
  path: '/api/admin/users',
  auth: 'admin',
  tags,
  summary: 'List and search users',
  description: '`query` matches email and display name, case-insensitively, as literal text (`%` and `_` match themselves). Newest first.',
  query: z.object({ query: z.string().trim().max(200, 'query must be at most 200 characters.').optional(), ...pagination }),
  status: 200,
  response: pageOf('users', User),
});

export const getUser = endpoint({
  method: 'get',
  path: '/api/admin/users/:id',
  auth: 'admin',
  tags,
  summary: 'One user with their live sessions',
  description: `Never a secret: no hash, token or code.${idNote}`,
  status: 200,
  response: z.object({ user: User, sessions: z.array(Session) }),
  errors: [404],
  notFound,
});

export const changeRole = endpoint({
  method: 'patch',
  path: '/api/admin/users/:id',
  auth: 'admin',
  tags,
  summary: "Change a user's role",
  description: `Takes effect at once: access tokens carrying the old role are refused (\`401 INVALID_TOKEN\`), so the client refreshes and gets the new role. \`409 LAST_ADMIN\` when it would leave no admin. Audited as \`user.role_changed\`. Beyond the contract: a role with more rights (user → moderator → admin) outlives the admin's access token, so giving one re-authenticates (a sign-in of the last 10 minutes, or \`password\`; \`401 INVALID_CREDENTIALS\` otherwise), needs a signed-in person (an API key or a service token gets \`403\`) and is mailed to the admin. Taking rights away needs none of this.${idNote}`,
  body: z.object({ role: z.enum(ROLES, { message: `role must be one of ${ROLES.join(', ')}.` }), password: reauthPassword }),
  status: 200,
  response: z.object({ user: User }),
  errors: [404, 409],
  notFound,
});

export const deleteUser = endpoint({
  method: 'delete',
  path: '/api/admin/users/:id',
  auth: 'admin',
  tags,
  summary: 'Delete a user',
  description: `Their sessions, tokens and projects go with them, and their access tokens are refused at once. \`409 LAST_ADMIN\` for the last admin. Audited as \`user.deleted\`.${idNote}`,
  status: 204,
  errors: [404, 409],
  notFound,
});

export const revokeSessions = endpoint({
  method: 'post',
  path: '/api/admin/users/:id/sessions/revoke',
  auth: 'admin',
  tags,
  summary: 'Sign a user out everywhere',
  description: `Revokes every session of the user; their access tokens are refused at once. Audited as \`user.sessions_revoked\`.${idNote}`,
  status: 204,
  errors: [404],
  notFound,
});

export const resetMfa = endpoint({
  method: 'post',
  path: '/api/admin/users/:id/mfa/reset',
  auth: 'admin',
  tags,
  extension: true,
  summary: "Reset a user's two-step verification (not in the contract)",
  description:
    "Not in the contract: an extension. For a user who lost their authenticator and recovery codes, or whose account someone else enrolled. Deletes the TOTP credential and every recovery code, ends any MFA sign-in in progress, clears the wrong-code lock (`MFA_MAX_CONSECUTIVE_FAILURES`), and revokes every session of the user (their access tokens are refused at once). Audited as `mfa.reset` with the admin as actor; the user is mailed. `403 FORBIDDEN` for one's own account (use `POST /api/auth/mfa/totp/disable`); `409 CONFLICT` when MFA is off and no wrong codes are counted. Also `npm run cli -- reset-mfa <email>`." +
    idNote,
  status: 200,
  response: z.object({ user: User, sessionsRevoked: z.number().int().min(0) }),
  errors: [404, 409],
  notFound,
});

export const listAuditEvents = endpoint({
  method: 'get',
  path: '/api/admin/audit-events',
  auth: 'admin',
  tags,
  summary: 'The audit log, newest first',
  description: 'Filters combine. `type` is an exact event type; a well-formed type that no event has simply matches nothing.',
  query: z.object({
    userId: uuidFilter('userId', 'Events about this user.'),
    actorId: uuidFilter('actorId', 'Events done by this user (an admin, say).'),
    // Validated by shape, not against the list: an unknown type is an empty page, not a 400 (as it always was).
    type: z
      .string()
      .regex(/^[a-z_.]{1,64}$/, 'type must be an event type such as user.role_changed.')
      .optional()
      .meta({ description: 'An exact event type, e.g. `login.failed`.', examples: [...AUDIT_EVENT_TYPES] }),
    ...pagination,
  }),
  status: 200,
  response: pageOf('events', AuditEvent),
});

export const rotateKeys = endpoint({
  method: 'post',
  path: '/api/admin/keys/rotate',
  auth: 'admin',
  tags,
  extension: true,
  summary: 'Rotate the access-token signing key (not in the contract)',
  description:
    "Not in the contract: the contract says keys rotate on demand, this is how. The new key is in every instance's `/.well-known/jwks.json` when this answers, and signs every token from `activatesAt` (`KEY_PREPUBLISH`, default 60 s, later), so verifiers have it before any token it signed exists; until then the current key keeps signing. The retired key stays in the JWKS until every token it signed has expired, so no token is refused because of the rotation. Keys also rotate on a schedule (`KEY_ROTATION_INTERVAL`, default 30 days). Audited as `keys.rotated`.",
  status: 200,
  response: z.object({
    kid: z.string().meta({ description: 'The new key: published now, signing from `activatesAt`.' }),
    alg: z.enum(['EdDSA', 'ES256']),
    retiredKid: z.string().nullable().meta({ description: 'The key that signs until `activatesAt`; published until its tokens expire.' }),
    activatesAt: z.iso.datetime({ offset: true }).meta({ description: 'When the new key starts signing.' }),
  }),
});
