import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { AppContext, RequestMeta } from '../context.js';
import { executeNamed } from '../db/namedStatement.js';
import { refreshTokens, sessions, users, type Amr } from '../db/schema.js';
import { auditInsert } from './audit.js';
import { describeDevice } from './device.js';
import { accountLocked } from './errors.js';
import { logQueuedMail, mailInsert } from './mail.js';
import { countAuditEvent } from './metrics.js';
import { devicesSeen, newDeviceMailFor } from './newDevice.js';
import { randomToken, sha256 } from './secrets.js';
import { revokeUndeliveredSession, type IssuedRefreshToken } from './sessions.js';
import { afterStatementCommitted } from './transaction.js';
import type { UserWithMfa } from './users.js';
import { webhookEventInsert } from './webhooks/outbox.js';

/**
 * A sign-in's writes as ONE autocommitted statement (issue 12): no BEGIN and COMMIT around it, so
 * two round trips fewer than a transaction, and the user's row is locked for this statement only.
 * A data-modifying CTE is all or nothing, so nothing is ever half-written.
 *
 * - `claimed`: the sign-in is claimed on the user row: an admin's lock (accountLock.ts) that
 *   committed first makes it match nothing, so nothing else is written and the caller gets
 *   ACCOUNT_LOCKED; one that comes after waits for this row and then revokes the session made here.
 * - `seen`: the sessions the account had before (every part of the statement sees the same
 *   snapshot, so the new one is not among them), for the new-device mail.
 * - The session's id is made here, not by the database, so that the webhook event and the audit
 *   event can name it in the same statement; each is written only if the session was.
 * - The new-device mail is rendered and sealed beforehand (tens of microseconds, against a round
 *   trip) and written only if the session was and the device is news.
 * Tables are named through the schema, so the statement reads as Drizzle spells them elsewhere.
 * A named prepared statement (db/namedStatement.ts): planned once per connection, not per sign-in.
 * What a transaction did after its commit is done here after the statement: wake the mail and
 * webhook senders; and if the statement fails, revoke its session once the database answers.
 */
export async function openSession(
  ctx: AppContext,
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
  const mail = newDeviceMailFor(ctx, user, device);
  const opened = sql`exists (select 1 from opened)`;
  const audit = { type: 'login.succeeded', userId: user.id, meta, details: { ...details, sessionId } } as const;
  let rows;
  try {
    rows = await executeNamed<{ opened: number; hooks: number; mailed: number }>(
      ctx.db,
      'sign_in',
      sql`
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
      hooks as (${webhookEventInsert({ type: 'session.created', userId: user.id, data: { sessionId, amr } }, opened)}),
      mailed as (${mailInsert(ctx, user.email, mail, sql`${opened} and (select had_sessions and not had_device from seen)`)})
      select (select count(*) from opened)::int as opened, (select count(*) from hooks)::int as hooks, (select count(*) from mailed)::int as mailed`,
    );
  } catch (error) {
    // It may have committed without the client hearing of it (a lost acknowledgement: the client
    // gets a 503 and signs in again), and that session would live on unknown to anyone. Revoking is
    // idempotent, so any failure schedules it: a statement that never committed leaves nothing.
    ctx.followUps.run('revoke unacknowledged session', () => revokeUndeliveredSession(ctx, sessionId, 'creation_unacknowledged'));
    throw error;
  }
  const [row] = rows;
  if (!row?.opened) throw accountLocked();
  countAuditEvent(audit.type, audit.details);
  if (row.mailed > 0) logQueuedMail(ctx, user.email, mail);
  await afterStatementCommitted(ctx, { mail: row.mailed > 0, webhooks: row.hooks > 0 });
  return { sessionId, userId: user.id, refreshToken, refreshExpiresAt: expiresAt, amr, created: true };
}
