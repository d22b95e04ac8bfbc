import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { Webhook } from 'standardwebhooks';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { webhookDeliveries, webhookEndpoints } from '../../db/schema.js';
import { decrypt, deriveKey } from '../secrets.js';
import { guardedLookup } from './targets.js';

/**
 * The background webhook sender: POSTs due deliveries, signed per Standard Webhooks, and retries
 * failures with exponential backoff (WEBHOOK_RETRY_BASE, doubling, at most 1 h apart) up to
 * WEBHOOK_MAX_ATTEMPTS, after which the delivery is `failed` (an admin can resend it).
 *
 * As with mail (mail/sender.ts), deliveries are claimed with `for update skip locked` and their
 * next attempt pushed forward in the same statement: one instance at a time attempts a delivery,
 * and a crash mid-attempt only delays it until its retry time (at least once, never lost).
 * Only a 2xx answer counts as delivered; redirects are not followed.
 */

export interface WebhookSender {
  /** Deliver what is due now, without waiting (after a transaction that wrote events commits). */
  kick(): void;
  /** Deliver what is due now and wait for it (tests, shutdown). */
  flush(): Promise<void>;
  /** Deliveries not yet delivered nor given up (the metrics' queue depth). */
  pending(): Promise<number>;
  close(): Promise<void>;
}

const BATCH = 20;
const MAX_BACKOFF_MS = 60 * 60_000;
const MAX_ERROR = 500;

type Due = { delivery: typeof webhookDeliveries.$inferSelect; url: string; secret: string };

export function createWebhookSender(options: { db: Db; config: Config; logger: Logger }): WebhookSender {
  const { db, config, logger } = options;
  const secretKey = deriveKey(config.SECRET_KEY, 'encryption');
  const lookup = guardedLookup(config.WEBHOOK_ALLOW_PRIVATE);
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  async function claimDue(): Promise<Due[]> {
    const due = db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(and(eq(webhookDeliveries.status, 'pending'), lte(webhookDeliveries.nextAttemptAt, sql`now()`), eq(webhookEndpoints.enabled, true)))
      .orderBy(asc(webhookDeliveries.nextAttemptAt))
      .limit(BATCH)
      .for('update', { of: webhookDeliveries, skipLocked: true });
    const claimed = await db
      .update(webhookDeliveries)
      .set({
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        lastAttemptAt: sql`now()`,
        // SET sees the old `attempts`: the first retry waits WEBHOOK_RETRY_BASE, then twice as long each time.
        nextAttemptAt: sql`now() + least(${config.WEBHOOK_RETRY_BASE}::double precision * power(2, ${webhookDeliveries.attempts}), ${MAX_BACKOFF_MS}) * interval '1 millisecond'`,
      })
      .where(inArray(webhookDeliveries.id, due))
      .returning();
    if (claimed.length === 0) return [];
    const endpoints = await db
      .select({ id: webhookEndpoints.id, url: webhookEndpoints.url, secret: webhookEndpoints.secret })
      .from(webhookEndpoints)
      .where(inArray(webhookEndpoints.id, [...new Set(claimed.map((d) => d.endpointId))]));
    const byId = new Map(endpoints.map((e) => [e.id, e]));
    return claimed.flatMap((delivery) => {
      const endpoint = byId.get(delivery.endpointId);
      return endpoint ? [{ delivery, url: endpoint.url, secret: endpoint.secret }] : [];
    });
  }

  function post(url: string, headers: Record<string, string>, body: string): Promise<number> {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        target,
        { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup, timeout: config.WEBHOOK_TIMEOUT },
        (res) => {
          // The answer's body is not needed: read and dropped so the socket is freed.
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${config.WEBHOOK_TIMEOUT} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  async function deliver({ delivery, url, secret }: Due) {
    let status: number | null = null;
    let error: string | null = null;
    try {
      const signer = new Webhook(decrypt(secretKey, secret));
      const now = new Date();
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'Portcullis-Webhooks/1',
        'webhook-id': delivery.messageId,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signer.sign(delivery.messageId, now, delivery.payload),
      };
      status = await post(url, headers, delivery.payload);
      if (status < 200 || status >= 300) error = `answered ${status}`;
    } catch (caught) {
      error = (caught instanceof Error ? caught.message : String(caught)).slice(0, MAX_ERROR);
    }
    const ok = error === null;
    const final = !ok && delivery.attempts >= config.WEBHOOK_MAX_ATTEMPTS;
    await db
      .update(webhookDeliveries)
      .set({
        responseStatus: status,
        lastError: error,
        ...(ok && { status: 'succeeded' as const, deliveredAt: new Date() }),
        ...(final && { status: 'failed' as const }),
      })
      .where(eq(webhookDeliveries.id, delivery.id));
    if (!ok)
      logger.warn(
        { deliveryId: delivery.id, attempt: delivery.attempts, status, err: { message: error } },
        final ? 'webhook delivery failed: giving up' : 'webhook delivery failed: will retry',
      );
  }

  async function drain() {
    do {
      again = false;
      for (;;) {
        if (closed) return;
        const batch = await claimDue();
        if (batch.length === 0) break;
        await Promise.all(batch.map(deliver));
      }
    } while (again && !closed);
  }

  function run(): Promise<void> {
    if (closed) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = drain()
      .catch((error) => logger.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, 'webhook queue unavailable: will retry'))
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  // Retries, events written outside inTransaction, and deliveries left by another instance.
  const timer = setInterval(() => void run(), Math.min(config.WEBHOOK_RETRY_BASE, 5_000));
  timer.unref();

  return {
    kick: () => void run(),
    async flush() {
      await run();
      // A kick during the run sets `again`; the loop above honours it, so one more wait suffices.
      if (running) await running;
    },
    async pending() {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.status, 'pending'));
      return Number(row?.n ?? 0);
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await running;
    },
  };
}
