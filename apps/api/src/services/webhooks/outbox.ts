import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { AuditEventType, WebhookEventType } from '@portcullis/contract';
import type { Db } from '../../db/client.js';
import { webhooksAfterCommit } from '../transaction.js';

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

/** Call inside the transaction of the change it reports. */
export async function emitWebhookEvent(tx: Db, event: WebhookEventInput): Promise<void> {
  const messageId = `msg_${randomUUID().replaceAll('-', '')}`;
  const data = JSON.stringify({ ...(event.userId ? { userId: event.userId } : {}), ...event.data });
  const timestamp = new Date().toISOString();
  const inserted = await tx.execute(sql`
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
    where e.enabled and e.events @> jsonb_build_array(${event.type}::text)
    returning id`);
  if (rowCount(inserted) > 0) webhooksAfterCommit(tx);
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
export function emitUserLocked(tx: Db, userId: string, details: { reason: string } & Record<string, unknown>): Promise<void> {
  return emitWebhookEvent(tx, { type: 'user.locked', userId, data: details });
}

/**
 * Audit events that are also webhook events: recordAudit (services/audit.ts) writes both in the
 * caller's transaction. `session.created` and `session.revoked` are emitted where sessions are
 * created and revoked (services/sessions.ts), whatever the audit event around them.
 */
export const WEBHOOK_OF_AUDIT: Partial<Record<AuditEventType, WebhookEventType>> = {
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
};
