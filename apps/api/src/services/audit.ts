import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { auditEvents } from '../db/schema.js';
import type { AuditEventType } from '@portcullis/contract';
import type { RequestMeta } from '../context.js';
import { countAuditEvent } from './metrics.js';
import type { Tx } from './transaction.js';
import { emitWebhookEvent, WEBHOOK_OF_AUDIT, type WebhookAuditType } from './webhooks/outbox.js';

/** Every event type this API records: the contract's list (the admin audit filter offers the same). */
export { AUDIT_EVENT_TYPES as AUDIT_TYPES, type AuditEventType as AuditType } from '@portcullis/contract';

export interface AuditInput {
  type: AuditEventType;
  userId?: string | null;
  /** Who did it, when not the user themself (an admin, say). Defaults to the user. */
  actorId?: string | null;
  meta?: RequestMeta;
  /** Never a secret: no passwords, tokens or codes. */
  details?: Record<string, unknown>;
}

/**
 * Call inside the transaction of the change it records, so both land or neither does. An event
 * that is also a webhook event (WEBHOOK_OF_AUDIT) is written to the webhook outbox in it too, and
 * so needs a `Tx` (inTransaction), which wakes the webhook sender after the commit; the compiler
 * refuses such an event on any other handle. Other events (failures, sign-ins) may be written
 * on their own with `ctx.db`.
 */
export function recordAudit(tx: Tx, input: AuditInput): Promise<void>;
export function recordAudit(db: Db, input: AuditInput & { type: Exclude<AuditEventType, WebhookAuditType> }): Promise<void>;
export async function recordAudit(tx: Db, input: AuditInput): Promise<void> {
  await tx.insert(auditEvents).values(auditRow(input));
  countAuditEvent(input.type, input.details);
  const webhook = isWebhookAudit(input.type) ? WEBHOOK_OF_AUDIT[input.type] : undefined;
  if (webhook) {
    const data = {
      ...input.details,
      actorId: input.actorId === undefined ? (input.userId ?? null) : input.actorId,
      ...(input.type === 'mfa.locked' && { reason: 'mfa_failures' }),
    };
    await emitWebhookEvent(tx as Tx, { type: webhook, userId: input.userId ?? null, data });
  }
}

/** The row an audit event is stored as: the one mapping of AuditInput to columns. */
function auditRow(input: AuditInput) {
  return {
    type: input.type,
    userId: input.userId ?? null,
    actorId: input.actorId === undefined ? (input.userId ?? null) : input.actorId,
    ip: input.meta?.ip ?? null,
    userAgent: input.meta?.userAgent?.slice(0, 512) ?? null,
    details: input.details ?? {},
  };
}

/**
 * The audit INSERT as a part of a larger statement (sessionStart.ts), written only when `onlyIf`
 * holds. For event types that are no webhook event; the caller counts it (countAuditEvent) once
 * the statement succeeded.
 */
export function auditInsert(input: AuditInput & { type: Exclude<AuditEventType, WebhookAuditType> }, onlyIf: SQL): SQL {
  const row = auditRow(input);
  return sql`
    insert into audit_events (type, user_id, actor_id, ip, user_agent, details)
    select ${row.type}, ${row.userId}::uuid, ${row.actorId}::uuid, ${row.ip}::text, ${row.userAgent}::text, ${JSON.stringify(row.details)}::jsonb
    where ${onlyIf}
    returning id`;
}

const isWebhookAudit = (type: AuditEventType): type is WebhookAuditType => Object.hasOwn(WEBHOOK_OF_AUDIT, type);
