import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';

/**
 * The data model. Secrets are never stored in plain form: refresh, reset and verification tokens as
 * SHA-256 hashes, passwords and recovery codes as password hashes, private keys and TOTP secrets
 * encrypted under SECRET_KEY.
 */

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const ROLES = ['user', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
/**
 * How a session was signed in, as RFC 8176 "amr" values: 'pwd' password, 'fed' a provider
 * sign-in, 'otp' a one-time code (TOTP, a recovery code, an emailed sign-in code), 'mfa' two
 * factors were used, 'hwk' a device-bound passkey, 'swk' a synced (backed-up) passkey.
 */
export const AMR_VALUES = ['pwd', 'fed', 'otp', 'mfa', 'hwk', 'swk'] as const;
export type Amr = (typeof AMR_VALUES)[number];
/** The factor proven before an MFA challenge: a password, a provider, or an emailed code ('otp'). */
export type FirstFactor = Extract<Amr, 'pwd' | 'fed' | 'otp'>;

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** As the person typed it (trimmed). */
    email: text('email').notNull(),
    /** Lower-cased: one account per address, whatever its case. */
    emailNormalized: text('email_normalized').notNull(),
    displayName: text('display_name').notNull(),
    /** Null for accounts that only sign in through an OAuth provider. */
    passwordHash: text('password_hash'),
    role: text('role').$type<Role>().notNull().default('user'),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    /**
     * Wrong second-factor codes in a row, across every sign-in (NIST 800-63B 5.2.2): at the cap the
     * second factor is refused until the account is recovered (password reset or an admin's MFA
     * reset). A successful sign-in sets it back to 0.
     */
    secondFactorFailures: integer('second_factor_failures').notNull().default(0),
    /** Set by an admin's lock (services/accountLock.ts): no sign-in and no refresh until unlocked. */
    lockedAt: timestamp('locked_at', { withTimezone: true }),
    /** The admin's reason, shown to admins (never to the holder's sign-in form). */
    lockedReason: text('locked_reason'),
    /** When a session was last opened (a sign-in, not a refresh): the admin console's column. */
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_email_normalized_key').on(t.emailNormalized), check('users_role_check', sql`${t.role} in ('user', 'moderator', 'admin')`)],
);

/** One login on one device. */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    ip: text('ip'),
    userAgent: text('user_agent'),
    device: text('device'),
    createdAt: createdAt(),
    lastActiveAt: timestamp('last_active_at', { withTimezone: true }).notNull().defaultNow(),
    /** Idle expiry: pushed forward by every refresh. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Absolute expiry: login + SESSION_MAX_AGE, never extended. */
    absoluteExpiresAt: timestamp('absolute_expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedReason: text('revoked_reason'),
    /** How it was signed in (RFC 8176 values, see Amr): ADMIN_REQUIRE_MFA looks for 'mfa'. */
    amr: text('amr')
      .array()
      .$type<Amr[]>()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The organization chosen for this session (issue 16): its access tokens carry `org_id`/`org_role` while the person is a member. */
    activeOrganizationId: uuid('active_organization_id').references((): AnyPgColumn => organizations.id, { onDelete: 'set null' }),
  },
  // (user_id, device): an account's sessions, and whether it had one from a device (newDevice.ts).
  (t) => [index('sessions_user_device_idx').on(t.userId, t.device)],
);

/**
 * Every refresh token a session ever had. Exactly one per live session has rotated_at null (the
 * current one); the others are its ancestors, kept to recognise reuse.
 */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    parentId: uuid('parent_id'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    rotatedAt: timestamp('rotated_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('refresh_tokens_token_hash_key').on(t.tokenHash),
    index('refresh_tokens_session_id_idx').on(t.sessionId),
    index('refresh_tokens_parent_id_idx').on(t.parentId),
  ],
);

/** The signing key ring. Retired keys stay published until every token they signed has expired. */
export const signingKeys = pgTable('signing_keys', {
  kid: text('kid').primaryKey(),
  alg: text('alg').notNull(),
  publicJwk: jsonb('public_jwk').$type<Record<string, unknown>>().notNull(),
  /** AES-256-GCM under a key derived from SECRET_KEY. */
  privateJwkEncrypted: text('private_jwk_encrypted').notNull(),
  createdAt: createdAt(),
  /**
   * Published in the JWKS from creation, used for signing only from this moment: every instance
   * and every verifier's JWKS cache has the key before any token signed with it exists. Null: at once.
   */
  activatesAt: timestamp('activates_at', { withTimezone: true }),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
  /** After this the key leaves the JWKS. Null while it signs. */
  expiresAt: timestamp('expires_at', { withTimezone: true }),
});

/**
 * Revocations that every API instance must honour before the affected access tokens expire: kept
 * in memory on each instance, loaded from here at start and pushed by LISTEN/NOTIFY or Redis.
 */
export const revocations = pgTable(
  'revocations',
  {
    id: serial('id').primaryKey(),
    /**
     * `session`: tokens of that session; `user`: every token of that user; `role`: tokens whose role is not `role`;
     * `org_role`: the user's tokens for the organization in `role` (`<orgId>:<orgRole>`, empty role once removed) whose `org_role` differs.
     */
    kind: text('kind').$type<'session' | 'user' | 'role' | 'org_role'>().notNull(),
    subject: uuid('subject').notNull(),
    role: text('role'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('revocations_expires_at_idx').on(t.expiresAt)],
);

/** Single-use tokens mailed to people: email verification, password reset and a change of address. */
export const oneTimeTokens = pgTable(
  'one_time_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose').$type<'email_verification' | 'password_reset' | 'email_change'>().notNull(),
    tokenHash: text('token_hash').notNull(),
    /** `email_change` only: the address asked for (as typed, trimmed); it becomes the account's once the link is followed. */
    newEmail: text('new_email'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('one_time_tokens_token_hash_key').on(t.tokenHash), index('one_time_tokens_user_id_idx').on(t.userId)],
);

export const totpCredentials = pgTable('totp_credentials', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  secretEncrypted: text('secret_encrypted').notNull(),
  /** Null while set up but not yet confirmed with a code. */
  enabledAt: timestamp('enabled_at', { withTimezone: true }),
  /** The last accepted time step: a code is accepted once. */
  lastUsedStep: bigint('last_used_step', { mode: 'number' }),
  createdAt: createdAt(),
});

export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('recovery_codes_user_id_idx').on(t.userId)],
);

/**
 * The second step of a login with MFA: the password was right, a code is still due. The mfaToken
 * is stored as its SHA-256, lives 5 minutes, allows a bounded number of attempts and is used once.
 */
export const mfaChallenges = pgTable(
  'mfa_challenges',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    /** The factor proven before this challenge: a password ('pwd') or a provider sign-in ('fed'). */
    firstFactor: text('first_factor').$type<FirstFactor>().notNull().default('pwd'),
  },
  (t) => [uniqueIndex('mfa_challenges_token_hash_key').on(t.tokenHash), index('mfa_challenges_user_id_idx').on(t.userId)],
);

/**
 * Single-use markers shared by every instance: an OAuth `state` already redeemed (when there is no
 * Redis), an MFA hand-off already opened. Stored as SHA-256 of the secret, kept until it would have
 * expired anyway; the primary key makes claiming one atomic.
 */
export const usedTokens = pgTable(
  'used_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    purpose: text('purpose').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('used_tokens_expires_at_idx').on(t.expiresAt)],
);

/** Identities at OAuth/OIDC providers linked to a user. */
export const oauthAccounts = pgTable(
  'oauth_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    provider: text('provider').notNull(),
    subject: text('subject').notNull(),
    email: text('email'),
    emailVerified: boolean('email_verified').notNull().default(false),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('oauth_accounts_provider_subject_key').on(t.provider, t.subject), index('oauth_accounts_user_id_idx').on(t.userId)],
);

/** The example protected resource. */
export const projects = pgTable(
  'projects',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** Set for an organization's project (issue 16): its roles decide access; `ownerId` is then who created it. */
    organizationId: uuid('organization_id').references((): AnyPgColumn => organizations.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('projects_owner_id_idx').on(t.ownerId), index('projects_organization_id_idx').on(t.organizationId)],
);

export const ORG_ROLES = ['owner', 'admin', 'member'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

/** Teams (issue 16): members with a role in each, their own projects and invitations. */
export const organizations = pgTable(
  'organizations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** Lower-case letters, digits and dashes; unique. */
    slug: text('slug').notNull(),
    logoUrl: text('logo_url'),
    /** Optional: people whose verified address is at this domain may join as members on their own. */
    autoJoinDomain: text('auto_join_domain'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('organizations_slug_key').on(t.slug)],
);

export const organizationMembers = pgTable(
  'organization_members',
  {
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').$type<OrgRole>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'organization_members_pkey', columns: [t.organizationId, t.userId] }),
    index('organization_members_user_id_idx').on(t.userId),
    check('organization_members_role_check', sql`${t.role} in ('owner', 'admin', 'member')`),
  ],
);

/** Invitations by email: only the SHA-256 of the link's token is stored; used once, within 7 days. */
export const organizationInvitations = pgTable(
  'organization_invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    emailNormalized: text('email_normalized').notNull(),
    role: text('role').$type<OrgRole>().notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedBy: uuid('accepted_by'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('organization_invitations_token_hash_key').on(t.tokenHash),
    index('organization_invitations_organization_id_idx').on(t.organizationId, t.createdAt),
    index('organization_invitations_invited_by_idx').on(t.invitedBy, t.createdAt),
    check('organization_invitations_role_check', sql`${t.role} in ('owner', 'admin', 'member')`),
  ],
);

/** Outgoing mail: the queue a background sender retries from, and the development outbox. */
export const mailMessages = pgTable(
  'mail_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html').notNull(),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    attempts: bigint('attempts', { mode: 'number' }).notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
  },
  (t) => [
    index('mail_messages_pending_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.sentAt} is null`),
  ],
);

/**
 * The audit log. No foreign keys: events outlive the users they name. `details` never holds a
 * secret (no passwords, tokens or codes).
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    type: text('type').notNull(),
    userId: uuid('user_id'),
    actorId: uuid('actor_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index('audit_events_user_id_idx').on(t.userId, t.createdAt),
    index('audit_events_actor_id_idx').on(t.actorId, t.createdAt),
    index('audit_events_type_idx').on(t.type, t.createdAt),
    index('audit_events_created_at_idx').on(t.createdAt),
  ],
);

/**
 * Webhook endpoints (issue 15): where events are POSTed, signed with the endpoint's Standard
 * Webhooks secret, which is stored encrypted under SECRET_KEY (shown to the admin once).
 */
export const webhookEndpoints = pgTable('webhook_endpoints', {
  id: uuid('id').primaryKey().defaultRandom(),
  url: text('url').notNull(),
  description: text('description').notNull().default(''),
  events: jsonb('events').$type<string[]>().notNull(),
  secret: text('secret').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The webhook outbox and delivery log: one row per event per subscribed endpoint, written in the
 * transaction of the change (services/webhooks/outbox.ts), delivered by the background sender.
 * `payload` is the body exactly as it is signed.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    messageId: text('message_id').notNull(),
    eventType: text('event_type').notNull(),
    payload: text('payload').notNull(),
    status: text('status').$type<'pending' | 'succeeded' | 'failed'>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    responseStatus: integer('response_status'),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('webhook_deliveries_pending_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt),
    // The cleanup job's retention (WEBHOOK_LOG_RETENTION): finished deliveries, oldest first.
    index('webhook_deliveries_finished_idx')
      .on(t.createdAt)
      .where(sql`${t.status} <> 'pending'`),
  ],
);

/**
 * Personal API keys (issue 15): a bearer credential for scripts, stored as its SHA-256 only, with
 * permissions no wider than the owner's role (checked again on every use against the current role).
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The first characters of the key, to recognise it in a list; not enough to use it. */
    prefix: text('prefix').notNull(),
    tokenHash: text('token_hash').notNull(),
    permissions: jsonb('permissions').$type<string[]>().notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('api_keys_token_hash_key').on(t.tokenHash), index('api_keys_user_id_idx').on(t.userId)],
);

/**
 * Service accounts (issue 15): machine clients of the OAuth 2.0 client credentials grant. The
 * client secret is stored as its SHA-256 (it is 256 random bits, so no password hash is needed).
 */
export const serviceAccounts = pgTable(
  'service_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    clientId: text('client_id').notNull(),
    secretHash: text('secret_hash').notNull(),
    role: text('role').$type<Role>().notNull().default('user'),
    createdBy: uuid('created_by'),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('service_accounts_client_id_key').on(t.clientId), check('service_accounts_role_check', sql`${t.role} in ('user', 'moderator', 'admin')`)],
);

/**
 * WebAuthn credentials (passkeys). The public key is the COSE key as base64url; `counter` and
 * `backed_up` are updated at every use (a counter that goes backwards is refused: a cloned
 * authenticator). `device_type` is `singleDevice` or `multiDevice` (synced).
 */
export const passkeys = pgTable(
  'passkeys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** base64url, as the authenticator gave it; one account per credential. */
    credentialId: text('credential_id').notNull(),
    publicKey: text('public_key').notNull(),
    counter: bigint('counter', { mode: 'number' }).notNull().default(0),
    transports: text('transports')
      .array()
      .$type<string[]>()
      .notNull()
      .default(sql`'{}'::text[]`),
    deviceType: text('device_type').$type<'singleDevice' | 'multiDevice'>().notNull(),
    backedUp: boolean('backed_up').notNull().default(false),
    name: text('name').notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('passkeys_credential_id_key').on(t.credentialId), index('passkeys_user_id_idx').on(t.userId)],
);

export const WEBAUTHN_PURPOSES = ['registration', 'authentication', 'second_factor'] as const;
export type WebauthnPurpose = (typeof WEBAUTHN_PURPOSES)[number];

/**
 * WebAuthn challenges, kept here rather than in one process so that every instance agrees: single
 * use (`used_at` set by the one UPDATE that claims it), short-lived, and bound to what asked for
 * it: a registration to the session (`session_id`), a sign-in to its attempt (`attempt_hash`, the
 * SHA-256 of a random id only that client holds), a second factor to the MFA challenge's token.
 */
export const webauthnChallenges = pgTable(
  'webauthn_challenges',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    challenge: text('challenge').notNull(),
    purpose: text('purpose').$type<WebauthnPurpose>().notNull(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    sessionId: uuid('session_id'),
    attemptHash: text('attempt_hash'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('webauthn_challenges_challenge_key').on(t.challenge), index('webauthn_challenges_expires_at_idx').on(t.expiresAt)],
);

/**
 * Sign-in by email (EMAIL_SIGNIN): a 6-digit code and a link in one mail, both stored as hashes,
 * 10 minutes, a few tries, single use. Keyed by the address, not a user: a code may be sent for an
 * address without an account (EMAIL_SIGNUP creates it when redeemed), and no row says which is which.
 */
export const emailSignInCodes = pgTable(
  'email_sign_in_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    emailNormalized: text('email_normalized').notNull(),
    /** As typed (trimmed): the address a new account gets. */
    email: text('email').notNull(),
    codeHash: text('code_hash').notNull(),
    linkHash: text('link_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('email_sign_in_codes_link_hash_key').on(t.linkHash), index('email_sign_in_codes_email_idx').on(t.emailNormalized)],
);
