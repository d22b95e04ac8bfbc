import type { Db } from '../db/client.js';
import { auditEvents } from '../db/schema.js';
import type { RequestMeta } from '../context.js';

/** Audit event types; the contract's list, spelled once. */
/** Every event type this API records, as data (the admin page's filter lists the same). */
export const AUDIT_TYPES = [
  'user.registered',
  'login.succeeded',
  'login.failed',
  'mfa.enabled',
  'mfa.disabled',
  'mfa.failed',
  'mfa.setup_started',
  'mfa.recovery_code_used',
  'mfa.recovery_codes_regenerated',
  'mfa.reset',
  'mfa.locked',
  'refresh.reuse_detected',
  'logout',
  'logout.all',
  'session.revoked',
  'password.changed',
  'password.change_failed',
  'password.reset_requested',
  'password.reset',
  'email.verification_sent',
  'email.verified',
  'user.updated',
  'user.email_changed',
  'user.role_changed',
  'user.deleted',
  'user.sessions_revoked',
  'project.updated',
  'project.deleted',
  'oauth.linked',
  'oauth.unlinked',
  'keys.rotated',
] as const;

export type AuditType = (typeof AUDIT_TYPES)[number];

export interface AuditInput {
  type: AuditType;
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
