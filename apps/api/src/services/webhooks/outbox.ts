import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { AuditEventType, WebhookEventType } from '@portcullis/contract';
import { webhooksAfterCommit, type Tx } from '../transaction.js';

/**
 * The webhook outbox. An event is written inside the transaction of the change it reports, one
 * delivery row per enabled endpoint subscribed to its type (one INSERT … SELECT: nothing at all
 * when no endpoint listens), so a rolled-back change sends nothing and a committed one is
 * delivered at least once by the background sender (sender.ts), even after a crash.
 *
 * The payload is the Standard Webhooks shape `{ type, timestamp, data }`. For events about a user
 * who still exists, `data.user` is read in the same statement (id, email, displayName, role,
 * emailVerified): what a receiver needs to mirror the account, and never a secret.
 */

export interface WebhookEventInput {
  type: WebhookEventType;
  /** The user the event is about; their public fields are added as `data.user` when the row exists. */
  userId?: string | null;
  /** Never a secret: no passwords, tokens or codes. */
  data?: Record<string, unknown>;
}

/**
 * Call inside the transaction of the change it reports: a `Tx` (inTransaction), which wakes the
 * sender once the change has committed, so no event waits for the sender's timer.
 */
export async function emitWebhookEvent(tx: Tx, event: WebhookEventInput): Promise<void> {
  const inserted = await tx.execute(webhookEventInsert(event));
  if (rowCount(inserted) > 0) webhooksAfterCommit(tx);
}

/**
 * The outbox INSERT for one event, returning one `id` per delivery row. `onlyIf`, a condition,
 * lets a larger statement (sessionStart.ts) write the event only when its own change happened;
 * whoever sends it calls webhooksAfterCommit when rows came back.
 */
export function webhookEventInsert(event: WebhookEventInput, onlyIf: SQL = sql`true`): SQL {
  const messageId = `msg_${randomUUID().replaceAll('-', '')}`;
  const data = JSON.stringify({ ...(event.userId ? { userId: event.userId } : {}), ...event.data });
  const timestamp = new Date().toISOString();
  return sql`
    insert into webhook_deliveries (endpoint_id, message_id, event_type, payload)
    select e.id, ${messageId}, ${event.type},
      jsonb_build_object(
        'type', ${event.type}::text,
        'timestamp', ${timestamp}::text,
        'data', ${data}::jsonb || coalesce(
          (select jsonb_build_object('user', jsonb_build_object('id', u.id, 'email', u.email, 'displayName', u.display_name, 'role', u.role, 'emailVerified', u.email_verified_at is not null))
             from users u where u.id = ${event.userId ?? null}::uuid),
          '{}'::jsonb)
      )::text
    from webhook_endpoints e
    where e.enabled and e.events @> jsonb_build_array(${event.type}::text) and ${onlyIf}
    returning id`;
}

function rowCount(result: unknown): number {
  const r = result as { rows?: unknown[]; affectedRows?: number; rowCount?: number | null };
  return r.rows?.length ?? r.rowCount ?? r.affectedRows ?? 0;
}

/**
 * `user.locked`: the account can no longer sign in until it is recovered. Recorded today when the
 * second factor locks (MFA_MAX_CONSECUTIVE_FAILURES, `reason: 'mfa_failures'`); account locking
 * elsewhere calls this inside its own transaction with its own reason.
 */
export function emitUserLocked(tx: Tx, userId: string, details: { reason: string } & Record<string, unknown>): Promise<void> {
  return emitWebhookEvent(tx, { type: 'user.locked', userId, data: details });
}

/**
 * Audit events that are also webhook events: recordAudit (services/audit.ts) writes both in the
 * caller's transaction. `session.created` and `session.revoked` are emitted where sessions are
 * created and revoked (services/sessions.ts), whatever the audit event around them.
 */
export const WEBHOOK_OF_AUDIT = {
  'user.registered': 'user.created',
  'user.updated': 'user.updated',
  'user.email_changed': 'user.updated',
  'email.verified': 'user.updated',
  'user.deleted': 'user.deleted',
  'user.role_changed': 'role.changed',
  'mfa.enabled': 'mfa.enabled',
  'mfa.disabled': 'mfa.disabled',
  'mfa.reset': 'mfa.disabled',
  'mfa.locked': 'user.locked',
} as const satisfies Partial<Record<AuditEventType, WebhookEventType>>;

/** Audit event types that also emit a webhook event: recordAudit takes them only inside inTransaction. */
export type WebhookAuditType = keyof typeof WEBHOOK_OF_AUDIT;
