import { getTableColumns, sql, type SQL, type Table } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { executeNamed } from '../db/namedStatement.js';
import { sessions, users } from '../db/schema.js';
import type { OrgRole } from '../db/schema.js';
import type { TokenOrganization } from './accessTokens.js';
import type { SessionRow } from './sessions.js';
import type { UserWithMfa } from './users.js';

/**
 * The common case of a refresh, the first use of a live token, in ONE statement (issue 12): it
 * was nine round trips (begin, three selects, two updates, an insert, the user, commit), which set
 * the ceiling of POST /api/auth/refresh. A single statement commits on its own, atomically.
 *
 * It does the same as the first-use branch of rotateRefreshToken, under the same locks:
 * - `locked` takes the session's row lock first (FOR UPDATE), as the transaction does, so the two
 *   paths lock in the same order and cannot deadlock; a session revoked or past its absolute expiry
 *   matches nothing (PostgreSQL re-checks those conditions on the newest row once the lock is held).
 * - `claimed` marks the token rotated only if it still is unrotated and unexpired: a concurrent
 *   rotation that committed first makes PostgreSQL re-check `rotated_at is null` on the newest
 *   version, so exactly one of two racing statements claims a token.
 * - `touched` renews the idle expiry (never past the absolute one) and records the activity;
 *   `inserted` adds the successor, a child of the claimed token; the user comes back with it, so
 *   nothing is left to ask the database once the statement has committed. So does the session's
 *   active organization (`organization_members` primary key, so at most one row; totp_credentials
 *   is keyed by user): the access token's org claims are read in the statement's snapshot, as
 *   activeOrganizationOf reads them, and a failure can no longer come between commit and answer.
 *
 * No row back means nothing was written: the token is unknown, expired, already rotated, or its
 * session revoked or expired. The caller then runs the full transaction, which tells those apart
 * (grace window, reuse detection, revoked). A lost acknowledgement of a committed statement is
 * benign: the client retries with the same token, now the direct parent of the current one, and
 * the grace window gives it the same successor (an HMAC of the token).
 */
export interface FirstUse {
  session: SessionRow;
  /** Undefined if the user is gone (the rotation still committed, as in the transaction). */
  user: UserWithMfa | undefined;
  /** The session's active organization with the member's role (issue 16), null if none or no longer a member. */
  org: TokenOrganization | null;
}

export interface FirstUseArgs {
  presentedHash: string;
  successorHash: string;
  now: Date;
  /** now + the idle lifetime; the statement caps it at the session's absolute expiry. */
  idleExpiry: Date;
  ip: string | null;
}

/** The statement itself, exported so that the bench sends exactly it through a bare `pg` pool. */
export function firstUseStatement(args: FirstUseArgs): SQL {
  const now = args.now.toISOString();
  return sql`
    with locked as (
      select s.id from sessions s join refresh_tokens t on t.session_id = s.id
      where t.token_hash = ${args.presentedHash} and s.revoked_at is null and s.absolute_expires_at > ${now}::timestamptz
      for update of s
    ), claimed as (
      update refresh_tokens t set rotated_at = ${now}::timestamptz
      where t.token_hash = ${args.presentedHash} and t.rotated_at is null and t.expires_at > ${now}::timestamptz
        and t.session_id in (select id from locked)
      returning t.id, t.session_id
    ), touched as (
      update sessions s
      set last_active_at = ${now}::timestamptz,
          expires_at = least(${args.idleExpiry.toISOString()}::timestamptz, s.absolute_expires_at),
          ip = coalesce(${args.ip}::text, s.ip)
      from claimed where s.id = claimed.session_id
      returning s.*
    ), inserted as (
      insert into refresh_tokens (session_id, token_hash, parent_id, expires_at)
      select touched.id, ${args.successorHash}::text, claimed.id, touched.expires_at from touched join claimed on claimed.session_id = touched.id
      returning id
    )
    select to_jsonb(touched) as session, to_jsonb(u) as account, c.enabled_at is not null as mfa_enabled,
      m.organization_id as org_id, m.role as org_role
    from touched join inserted on true
    left join users u on u.id = touched.user_id
    left join totp_credentials c on c.user_id = touched.user_id
    left join organization_members m on m.organization_id = touched.active_organization_id and m.user_id = touched.user_id`;
}

interface FirstUseRow {
  session: Record<string, unknown>;
  account: Record<string, unknown> | null;
  mfa_enabled: boolean;
  org_id: string | null;
  org_role: OrgRole | null;
}

/**
 * Sent as a named prepared statement (db/namedStatement.ts) under this label: PostgreSQL parses and
 * plans it once per connection instead of on every refresh (about twice the rotations per second
 * of the unnamed statement, measured with a bare `pg` pool).
 */
export const FIRST_USE_LABEL = 'refresh_first_use';

export async function rotateFirstUse(db: Db, args: FirstUseArgs): Promise<FirstUse | undefined> {
  const [row] = await executeNamed<FirstUseRow>(db, FIRST_USE_LABEL, firstUseStatement(args));
  if (!row) return undefined;
  return {
    session: fromJson(sessions, row.session),
    user: row.account ? { ...fromJson(users, row.account), mfaEnabled: row.mfa_enabled } : undefined,
    org: row.org_id && row.org_role ? { id: row.org_id, role: row.org_role } : null,
  };
}

/** A row as `to_jsonb` spells it, through each column's own decoding (timestamps to Date, arrays...). */
function fromJson<T extends Table>(table: T, json: Record<string, unknown>): T['$inferSelect'] {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = json[column.name];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as T['$inferSelect'];
}
