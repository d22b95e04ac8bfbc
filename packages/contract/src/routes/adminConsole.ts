import { z } from 'zod';
import { ROLES } from '../access.js';
import { AUDIT_EVENT_TYPES } from '../codes.js';
import { endpoint } from '../endpoint.js';
import { displayName, email, pagination, reauthPassword, UUID_PATTERN } from '../fields.js';
import { AuditEvent, pageOf, Session, User } from '../schemas.js';
import { refuseHiddenCharacters } from '../shownText.js';

/**
 * The admin console (not in the contract: every endpoint here is an extension). What an admin needs
 * to answer "who is this person, how do they sign in, what did they do, and stop them": users with
 * their status, one user's whole picture, lock and unlock, invitations, a reset link sent for
 * someone, one session ended, and the audit log with people named and a CSV export. Every endpoint
 * needs `manage_users` (auth `admin`), as the contract's admin endpoints do.
 */

const tags = ['admin'];
const notFound = 'No such user.';
const idNote = ' A malformed or unknown id is `404 NOT_FOUND`.';
const timestamp = z.iso.datetime({ offset: true });

/** How an account can sign in: its password, and each linked provider. */
export const SIGN_IN_METHODS = ['password', 'google', 'github', 'oidc'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

/** A user as the console lists them: the contract's User and the status columns beside it. */
export const AdminUser = User.extend({
  lockedAt: timestamp.nullable().meta({ description: 'When an admin locked the account; null when it is not locked.' }),
  lockedReason: z.string().nullable().meta({ description: "The admin's reason for the lock." }),
  lastSignInAt: timestamp.nullable().meta({ description: 'The last sign-in (a new session, not a refresh); null if never.' }),
  signInMethods: z
    .array(z.enum(SIGN_IN_METHODS))
    .meta({ description: 'The password (when set) and every linked provider. Empty for an invitation not yet accepted.' }),
}).meta({ id: 'AdminUser' });
export type AdminUser = z.infer<typeof AdminUser>;

/** A person named in the audit log; null when the account no longer exists. */
export const AuditPerson = z.object({ id: z.uuid(), email: z.string(), displayName: z.string() }).meta({ id: 'AuditPerson' });
export type AuditPerson = z.infer<typeof AuditPerson>;

export const AuditEntry = AuditEvent.extend({
  user: AuditPerson.nullable().meta({ description: 'The user the event is about (`userId`), while the account exists.' }),
  actor: AuditPerson.nullable().meta({ description: 'Who did it (`actorId`), while the account exists.' }),
}).meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AdminIdentity = z.object({ id: z.uuid(), provider: z.string(), email: z.string().nullable(), linkedAt: timestamp }).meta({ id: 'AdminIdentity' });
export type AdminIdentity = z.infer<typeof AdminIdentity>;

export const listAccounts = endpoint({
  method: 'get',
  path: '/api/admin/accounts',
  auth: 'admin',
  tags,
  extension: true,
  summary: 'Users with their status (not in the contract)',
  description:
    "Not in the contract: `GET /api/admin/users` with the console's columns (locked, last sign-in, sign-in methods) and `adminCount`, so that a client offers no demotion the server would refuse (`409 LAST_ADMIN`). `query` matches email and display name as literal text; `status` narrows to `locked` accounts or `invited` ones (no way to sign in yet). Newest first.",
  query: z.object({
    query: z.string().trim().max(200, 'query must be at most 200 characters.').optional(),
    status: z.enum(['locked', 'invited'], { message: 'status must be locked or invited.' }).optional(),
    ...pagination,
  }),
  status: 200,
  response: pageOf('users', AdminUser).extend({ adminCount: z.number().int().meta({ description: 'Admins in the system.' }) }),
});

export const getAccount = endpoint({
  method: 'get',
  path: '/api/admin/accounts/:id',
  auth: 'admin',
  tags,
  extension: true,
  summary: "One user's whole picture (not in the contract)",
  description: `Not in the contract: the user with status, live sessions, linked providers, the 20 latest audit events about or by them, and \`adminCount\`.${idNote}`,
  status: 200,
  response: z.object({
    user: AdminUser,
    sessions: z.array(Session),
    identities: z.array(AdminIdentity),
    recentEvents: z.array(AuditEntry),
    adminCount: z.number().int(),
  }),
  errors: [404],
  notFound,
});

export const inviteUser = endpoint({
  method: 'post',
  path: '/api/admin/users',
  auth: 'admin',
  tags,
  extension: true,
  summary: 'Create a user by invitation (not in the contract)',
  description:
    'Not in the contract: creates an account without a password and mails its address a link to set one (the reset-password page; valid 7 days). Following it proves the address. An account with a role outlives the admin’s access token, so inviting re-authenticates (a sign-in of the last 10 minutes, or `password`; `401 INVALID_CREDENTIALS` otherwise), needs a signed-in person (an API key or a service token gets `403`) and is mailed to the admin. `409 EMAIL_TAKEN` when the address has an account. Audited as `user.invited`.',
  body: z.object({
    email,
    displayName,
    role: z.enum(ROLES, { message: `role must be one of ${ROLES.join(', ')}.` }).default('user'),
    password: reauthPassword,
  }),
  status: 201,
  response: z.object({ user: AdminUser }),
  errors: [409],
});

export const lockUser = endpoint({
  method: 'post',
  path: '/api/admin/users/:id/lock',
  auth: 'admin',
  tags,
  extension: true,
  summary: 'Lock an account (not in the contract)',
  description: `Not in the contract: the account can no longer sign in (\`403 ACCOUNT_LOCKED\` after a right password; \`oauth_account_locked\` from a provider) or refresh, and every session ends at once on every instance. Audited as \`user.locked\` with the reason, mailed to the holder. \`403 FORBIDDEN\` for one's own account; \`409 CONFLICT\` when already locked.${idNote}`,
  body: z.object({
    // Shown to other admins and mailed to the holder: shownText.ts.
    reason: z
      .string({ message: 'Give a reason.' })
      .trim()
      .min(1, 'Give a reason.')
      .max(500, 'The reason must be at most 500 characters.')
      .superRefine(refuseHiddenCharacters('Reason', { multiline: true })),
  }),
  status: 200,
  response: z.object({ user: AdminUser, sessionsRevoked: z.number().int().min(0) }),
  errors: [403, 404, 409],
  notFound,
});

export const unlockUser = endpoint({
  method: 'post',
  path: '/api/admin/users/:id/unlock',
  auth: 'admin',
  tags,
  extension: true,
  summary: 'Unlock an account (not in the contract)',
  description: `Not in the contract: the account may sign in again. Audited as \`user.unlocked\`, mailed. \`409 CONFLICT\` when not locked.${idNote}`,
  status: 200,
  response: z.object({ user: AdminUser }),
  errors: [404, 409],
  notFound,
});

export const sendPasswordReset = endpoint({
  method: 'post',
  path: '/api/admin/users/:id/password-reset',
  auth: 'admin',
  tags,
  extension: true,
  summary: 'Mail a user a password-reset link (not in the contract)',
  description: `Not in the contract: the same link as \`POST /api/auth/password/forgot\` (1 hour), asked for by an admin. Audited as \`password.reset_requested\` with the admin as actor.${idNote}`,
  status: 202,
  errors: [404],
  notFound,
});

export const revokeUserSession = endpoint({
  method: 'delete',
  path: '/api/admin/users/:id/sessions/:sessionId',
  auth: 'admin',
  tags,
  extension: true,
  summary: "End one of a user's sessions (not in the contract)",
  description: `Not in the contract: that session's tokens are refused at once. Audited as \`session.revoked\` with the admin as actor. \`404\` when it is not a live session of the user.${idNote}`,
  status: 204,
  errors: [404],
  notFound: 'No such session.',
});

export const resendInvitation = endpoint({
  method: 'post',
  path: '/api/admin/users/:id/invitation',
  auth: 'admin',
  tags,
  extension: true,
  summary: 'Mail a pending invitation again (not in the contract)',
  description: `Not in the contract: for an invited user who has no way to sign in yet, mails a new invitation link (7 days) and retires every earlier one. \`409 CONFLICT\` when the account is no longer a pending invitation; \`429 RATE_LIMITED\` within a minute of the last link (with \`Retry-After\`), so a double click mails once. Audited as \`user.invitation_resent\`.${idNote}`,
  status: 202,
  errors: [404, 409, 429],
  notFound,
});

export const unlinkUserIdentity = endpoint({
  method: 'delete',
  path: '/api/admin/users/:id/identities/:identityId',
  auth: 'admin',
  tags,
  extension: true,
  summary: "Unlink a user's sign-in provider (not in the contract)",
  description: `Not in the contract: removes one linked provider from the user (\`identities\` of \`GET /api/admin/accounts/:id\`). \`409 CONFLICT\` when it is the account's last way to sign in (no password, passkey or other provider). Audited as \`oauth.unlinked\` with the admin as actor, and mailed to the holder. \`404\` when it is not a provider of this user.${idNote}`,
  status: 204,
  errors: [404, 409],
  notFound: 'No such linked provider.',
});

const uuidFilter = (name: string) =>
  z
    .string()
    .regex(UUID_PATTERN, `${name} must be a user id (UUID).`)
    .transform((v) => v.toLowerCase())
    .optional();

/** The audit log's filters, shared by the page and the export. */
export const auditLogQuery = {
  person: z
    .string()
    .trim()
    .max(200, 'person must be at most 200 characters.')
    .optional()
    .meta({ description: 'Part of a name or email: events about or by the people it matches.' }),
  userId: uuidFilter('userId').meta({ description: 'Events about or by this user.' }),
  type: z
    .string()
    .regex(/^[a-z_.]{1,64}$/, 'type must be an event type such as user.role_changed.')
    .optional()
    .meta({ examples: [...AUDIT_EVENT_TYPES] }),
  from: timestamp.optional().meta({ description: 'Events at or after this instant.' }),
  to: timestamp.optional().meta({ description: 'Events before this instant.' }),
};

export const listAuditLog = endpoint({
  method: 'get',
  path: '/api/admin/audit-log',
  auth: 'admin',
  tags,
  extension: true,
  summary: 'The audit log with people named (not in the contract)',
  description:
    "Not in the contract: `GET /api/admin/audit-events` with each event's user and actor by name and email, filtered by a person (name or email), type and time range. Newest first.",
  query: z.object({ ...auditLogQuery, ...pagination }),
  status: 200,
  response: pageOf('events', AuditEntry),
});

export const AUDIT_CSV_COLUMNS = [
  'time',
  'type',
  'user_email',
  'user_name',
  'user_id',
  'actor_email',
  'actor_name',
  'actor_id',
  'ip',
  'user_agent',
  'details',
] as const;

export const exportAuditLog = endpoint({
  method: 'get',
  path: '/api/admin/audit-log/export',
  auth: 'admin',
  tags,
  extension: true,
  summary: 'The filtered audit log as CSV (not in the contract)',
  description: `Not in the contract: every event matching the filters (as \`GET /api/admin/audit-log\`, no pages), newest first, as \`text/csv\` streamed in batches, so any size is exported in bounded memory. Columns: ${AUDIT_CSV_COLUMNS.join(', ')}. Cells a spreadsheet would run as formulas are prefixed with \`'\`.`,
  query: z.object(auditLogQuery),
  status: 200,
  headers: { 'Content-Type': '`text/csv; charset=utf-8`', 'Content-Disposition': '`attachment; filename="audit-log.csv"`' },
});
