import type { Db } from '../db/client.js';
import { auditEvents } from '../db/schema.js';
import type { AuditEventType } from '@portcullis/contract';
import type { RequestMeta } from '../context.js';
import { countAuditEvent } from './metrics.js';
import { emitWebhookEvent, WEBHOOK_OF_AUDIT } from './webhooks/outbox.js';

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
 * that is also a webhook event (WEBHOOK_OF_AUDIT) is written to the webhook outbox in it too.
 */
export async function recordAudit(tx: Db, input: AuditInput): Promise<void> {
  await tx.insert(auditEvents).values({
    type: input.type,
    userId: input.userId ?? null,
    actorId: input.actorId === undefined ? (input.userId ?? null) : input.actorId,
    ip: input.meta?.ip ?? null,
    userAgent: input.meta?.userAgent?.slice(0, 512) ?? null,
    details: input.details ?? {},
  });
  countAuditEvent(input.type, input.details);
  const webhook = WEBHOOK_OF_AUDIT[input.type];
  if (webhook) {
    const data = {
      ...input.details,
      actorId: input.actorId === undefined ? (input.userId ?? null) : input.actorId,
      ...(input.type === 'mfa.locked' && { reason: 'mfa_failures' }),
    };
    await emitWebhookEvent(tx, { type: webhook, userId: input.userId ?? null, data });
  }
}
