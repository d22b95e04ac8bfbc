import type { Db } from '../db/client.js';
import { auditEvents } from '../db/schema.js';
import type { AuditEventType } from '@portcullis/contract';
import type { RequestMeta } from '../context.js';

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

/** Call inside the transaction of the change it records, so both land or neither does. */
export async function recordAudit(tx: Db, input: AuditInput): Promise<void> {
  await tx.insert(auditEvents).values({
    type: input.type,
    userId: input.userId ?? null,
    actorId: input.actorId === undefined ? (input.userId ?? null) : input.actorId,
    ip: input.meta?.ip ?? null,
    userAgent: input.meta?.userAgent?.slice(0, 512) ?? null,
    details: input.details ?? {},
  });
}
