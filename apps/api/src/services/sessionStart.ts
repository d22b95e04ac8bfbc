import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { AppContext, RequestMeta } from '../context.js';
import { refreshTokens, sessions, users, type Amr } from '../db/schema.js';
import { auditInsert } from './audit.js';
import { describeDevice } from './device.js';
import { accountLocked } from './errors.js';
import { ifOutcomeUnknown } from './commitOutcome.js';
import { countAuditEvent } from './metrics.js';
import { devicesSeen, isNewDevice, mailNewDevice } from './newDevice.js';
import { randomToken, sha256 } from './secrets.js';
import { revokeUndeliveredSession, type IssuedRefreshToken } from './sessions.js';
import { webhooksAfterCommit, type Tx } from './transaction.js';
import type { UserWithMfa } from './users.js';
import { webhookEventInsert } from './webhooks/outbox.js';

/**
 * The writes of a sign-in in ONE statement (issue 12): they were six round trips in the sign-in's
 * transaction (the device check, the user row claimed, the session, its webhook event, its refresh
 * token, the audit event), during all of which the user's row stayed locked, so concurrent
 * sign-ins of one account queued behind each other's round trips. Now the transaction is BEGIN,
 * this statement, COMMIT: the row lock is held for this statement and the COMMIT only, and
 * nothing is half-written (a data-modifying CTE is all or nothing, and the transaction around it
 * still carries the lost-acknowledgement follow-up and the after-commit effects).
 *
 * - `claimed`: the sign-in is claimed on the user row, as before: an admin's lock (accountLock.ts)
 *   that committed first makes it match nothing, so nothing else is written and the caller gets
 *   ACCOUNT_LOCKED; one that comes after waits for this row and then revokes the session made here.
 * - `seen`: the sessions the account had before (every part of the statement sees the same
 *   snapshot, so the new one is not among them), for the new-device mail.
 * - The session's id is made here, not by the database, so that the webhook event and the audit
 *   event can name it in the same statement; each is written only if the session was.
 * The mail, when the device is new (rare), is queued by its own statement in the same transaction.
 * Tables are named through the schema, so the statement reads as Drizzle spells them elsewhere.
 */
export async function openSession(
  ctx: AppContext,
  tx: Tx,
  user: Pick<UserWithMfa, 'id' | 'email' | 'displayName'>,
  meta: RequestMeta,
  amr: Amr[],
  details: Record<string, unknown>,
): Promise<IssuedRefreshToken> {
  const now = Date.now();
  const absoluteExpiresAt = new Date(now + ctx.config.SESSION_MAX_AGE);
  const expiresAt = new Date(Math.min(now + ctx.config.JWT_REFRESH_TTL, absoluteExpiresAt.getTime()));
  const sessionId = randomUUID();
  const refreshToken = randomToken();
  const device = describeDevice(meta.userAgent);
  const opened = sql`exists (select 1 from opened)`;
  const audit = { type: 'login.succeeded', userId: user.id, meta, details: { ...details, sessionId } } as const;
  const result = await tx.execute(sql`
    with seen as (${devicesSeen(user.id, device)}),
    claimed as (
      update ${users} set last_sign_in_at = now() where id = ${user.id}::uuid and locked_at is null returning id
    ), opened as (
      insert into ${sessions} (id, user_id, ip, user_agent, device, expires_at, absolute_expires_at, amr)
      select ${sessionId}::uuid, claimed.id, ${meta.ip ?? null}::text, ${meta.userAgent?.slice(0, 512) ?? null}::text, ${device}::text,
        ${expiresAt.toISOString()}::timestamptz, ${absoluteExpiresAt.toISOString()}::timestamptz,
        array(select jsonb_array_elements_text(${JSON.stringify(amr)}::jsonb))
      from claimed
      returning id
    ), token as (
      insert into ${refreshTokens} (session_id, token_hash, expires_at)
      select opened.id, ${sha256(refreshToken)}::text, ${expiresAt.toISOString()}::timestamptz from opened
      returning id
    ), audit as (${auditInsert(audit, opened)}),
    hooks as (${webhookEventInsert({ type: 'session.created', userId: user.id, data: { sessionId, amr } }, opened)})
    select (select count(*) from opened)::int as opened, (select count(*) from hooks)::int as hooks, seen.any, seen.same
    from seen`);
  const [row] = rowsOf<{ opened: number; hooks: number; any: boolean; same: boolean }>(result);
  if (!row?.opened) throw accountLocked();
  countAuditEvent(audit.type, audit.details);
  if (row.hooks > 0) webhooksAfterCommit(tx);
  if (isNewDevice(row)) await mailNewDevice(ctx, tx, user, device);
  // Committed without the client hearing of it (a lost acknowledgement: it got a 503 and will sign
  // in again), the session would live on unknown to anyone: revoke it once the database answers.
  ifOutcomeUnknown(tx, () => revokeUndeliveredSession(ctx, sessionId, 'creation_unacknowledged'));
  return { sessionId, userId: user.id, refreshToken, refreshExpiresAt: expiresAt, amr, created: true };
}

/** Rows of `execute`, on either driver (node-postgres and PGlite both answer `{ rows }`). */
function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
