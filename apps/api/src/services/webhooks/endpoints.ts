import { randomBytes } from 'node:crypto';
import { and, count, desc, eq } from 'drizzle-orm';
import type { WebhookDelivery, WebhookEndpoint, WebhookEventType } from '@portcullis/contract';
import type { AppContext, RequestMeta } from '../../context.js';
import { onlyRow } from '../../db/rows.js';
import { webhookDeliveries, webhookEndpoints } from '../../db/schema.js';
import { webhookTargetMail } from '../../mail/templates/adminGrants.js';
import { recordAudit } from '../audit.js';
import { notFound, validationFailed } from '../errors.js';
import { enqueueMail } from '../mail.js';
import { readPage, type Page } from '../pagination.js';
import { confirmRecentSignInOrPassword, type ReauthenticatedBy } from '../reauthentication.js';
import { encrypt } from '../secrets.js';
import { inTransaction, webhooksAfterCommit, type Tx } from '../transaction.js';
import { webLink } from '../webLinks.js';
import { targetProblem } from './targets.js';

/** Admin management of webhook endpoints and their delivery log (routes/webhooks.ts). */

type EndpointRow = typeof webhookEndpoints.$inferSelect;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;
interface By {
  actorId: string;
  meta: RequestMeta;
}

/** Who may point events at a URL: see confirmTargetChange. */
interface TargetBy extends By {
  sessionId: string;
  password?: string | undefined;
}

/**
 * Adding an endpoint or moving one to a new URL sends events (who signed up, who was locked…) to
 * that URL until someone notices: more lasting than the admin's access token, which may have been
 * stolen. So a recent sign-in or the password, as for a personal API key, and a mail to the admin
 * (targetChanged, in the change's transaction).
 */
async function confirmTargetChange(ctx: AppContext, by: TargetBy) {
  return confirmRecentSignInOrPassword(ctx, { userId: by.actorId, sessionId: by.sessionId }, by.password, by.meta, {
    stage: 'webhook_endpoint',
    action: 'send webhooks to a new address',
    failureType: 'login.failed',
  });
}

async function targetChanged(ctx: AppContext, tx: Tx, admin: { email: string; displayName: string }, url: string, added: boolean) {
  const mail = webhookTargetMail({ displayName: admin.displayName, host: hostOf(url), added, url: webLink(ctx.config, 'adminWebhooks') });
  await enqueueMail(ctx, tx, admin.email, mail);
}

export const toPublicEndpoint = (row: EndpointRow): WebhookEndpoint => ({
  id: row.id,
  url: row.url,
  description: row.description,
  events: row.events as WebhookEventType[],
  enabled: row.enabled,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

export const toPublicDelivery = (row: DeliveryRow): WebhookDelivery => ({
  id: row.id,
  endpointId: row.endpointId,
  messageId: row.messageId,
  eventType: row.eventType as WebhookEventType,
  status: row.status,
  attempts: row.attempts,
  responseStatus: row.responseStatus,
  lastError: row.lastError,
  createdAt: row.createdAt.toISOString(),
  lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
  nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
  deliveredAt: row.deliveredAt?.toISOString() ?? null,
  payload: row.payload,
});

async function checkTarget(ctx: AppContext, url: string) {
  const problem = await targetProblem(url, ctx.config.WEBHOOK_ALLOW_PRIVATE);
  if (problem) throw validationFailed([{ field: 'url', message: problem }]);
}

/** The host only, for the audit log: a URL's path or query may carry a receiver's own token. */
const hostOf = (url: string) => new URL(url).host;

export async function listEndpoints(ctx: AppContext): Promise<WebhookEndpoint[]> {
  const rows = await ctx.db.select().from(webhookEndpoints).orderBy(desc(webhookEndpoints.createdAt));
  return rows.map(toPublicEndpoint);
}

export async function createEndpoint(ctx: AppContext, input: { url: string; events: WebhookEventType[]; description: string }, by: TargetBy) {
  await checkTarget(ctx, input.url);
  const { user: admin, by: reauthenticatedBy } = await confirmTargetChange(ctx, by);
  // Standard Webhooks: `whsec_` and a base64 key of 32 random bytes; shown once, stored encrypted.
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const row = await inTransaction(ctx, async (tx) => {
    const created = onlyRow(
      await tx
        .insert(webhookEndpoints)
        .values({
          url: input.url,
          events: [...new Set(input.events)],
          description: input.description,
          secret: encrypt(ctx.keys.encryption, secret),
          createdBy: by.actorId,
        })
        .returning(),
      'createEndpoint',
    );
    await recordAudit(tx, {
      type: 'webhook.endpoint_created',
      userId: null,
      actorId: by.actorId,
      meta: by.meta,
      details: { endpointId: created.id, host: hostOf(created.url), events: created.events, reauthenticatedBy },
    });
    await targetChanged(ctx, tx, admin, created.url, true);
    return created;
  });
  return { endpoint: toPublicEndpoint(row), secret };
}

export async function updateEndpoint(
  ctx: AppContext,
  id: string,
  input: { url?: string | undefined; events?: WebhookEventType[] | undefined; description?: string | undefined; enabled?: boolean | undefined },
  by: TargetBy,
) {
  let moved: { admin: { email: string; displayName: string }; by: ReauthenticatedBy } | undefined;
  if (input.url !== undefined) {
    await checkTarget(ctx, input.url);
    const confirmed = await confirmTargetChange(ctx, by);
    moved = { admin: confirmed.user, by: confirmed.by };
  }
  const row = await inTransaction(ctx, async (tx) => {
    const [updated] = await tx
      .update(webhookEndpoints)
      .set({
        ...(input.url !== undefined && { url: input.url }),
        ...(input.events !== undefined && { events: [...new Set(input.events)] }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.enabled !== undefined && { enabled: input.enabled }),
        updatedAt: new Date(),
      })
      .where(eq(webhookEndpoints.id, id))
      .returning();
    if (!updated) throw notFound('No such webhook endpoint.');
    const changed = Object.keys(input).filter((k) => input[k as keyof typeof input] !== undefined);
    await recordAudit(tx, {
      type: 'webhook.endpoint_updated',
      userId: null,
      actorId: by.actorId,
      meta: by.meta,
      details: { endpointId: id, changed, enabled: updated.enabled, ...(moved && { reauthenticatedBy: moved.by }) },
    });
    if (moved) await targetChanged(ctx, tx, moved.admin, updated.url, false);
    // Enabled again: what waited for it is due now.
    if (input.enabled) webhooksAfterCommit(tx);
    return updated;
  });
  return toPublicEndpoint(row);
}

export async function deleteEndpoint(ctx: AppContext, id: string, by: By): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const [deleted] = await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id)).returning();
    if (!deleted) throw notFound('No such webhook endpoint.');
    await recordAudit(tx, {
      type: 'webhook.endpoint_deleted',
      userId: null,
      actorId: by.actorId,
      meta: by.meta,
      details: { endpointId: id, host: hostOf(deleted.url) },
    });
  });
}

export async function listDeliveries(ctx: AppContext, endpointId: string, page: Page) {
  const [endpoint] = await ctx.db.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId));
  if (!endpoint) throw notFound('No such webhook endpoint.');
  const where = eq(webhookDeliveries.endpointId, endpointId);
  return readPage('deliveries', page, {
    items: async ({ limit, offset }) =>
      (
        await ctx.db
          .select()
          .from(webhookDeliveries)
          .where(where)
          .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
          .limit(limit)
          .offset(offset)
      ).map(toPublicDelivery),
    count: () => ctx.db.select({ n: count() }).from(webhookDeliveries).where(where),
  });
}

/** A new delivery of the same event (same `webhook-id` and body) to the same endpoint, due now. */
export async function resendDelivery(ctx: AppContext, endpointId: string, deliveryId: string, by: By): Promise<WebhookDelivery> {
  const row = await inTransaction(ctx, async (tx) => {
    const [original] = await tx
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpointId)));
    if (!original) throw notFound('No such delivery.');
    const copy = onlyRow(
      await tx
        .insert(webhookDeliveries)
        .values({ endpointId, messageId: original.messageId, eventType: original.eventType, payload: original.payload })
        .returning(),
      'resendDelivery',
    );
    await recordAudit(tx, { type: 'webhook.resent', userId: null, actorId: by.actorId, meta: by.meta, details: { endpointId, deliveryId, resentAs: copy.id } });
    webhooksAfterCommit(tx);
    return copy;
  });
  return toPublicDelivery(row);
}
