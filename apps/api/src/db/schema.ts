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
 * sign-in, 'otp' a one-time code (TOTP or a recovery code), 'mfa' two factors were used.
 */
export const AMR_VALUES = ['pwd', 'fed', 'otp', 'mfa'] as const;
export type Amr = (typeof AMR_VALUES)[number];
export type FirstFactor = Extract<Amr, 'pwd' | 'fed'>;

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
  (t) => [index('sessions_user_id_idx').on(t.userId)],
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
    index('audit_events_type_idx').on(t.type, t.createdAt),
    index('audit_events_created_at_idx').on(t.createdAt),
  ],
);
