import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { AppContext } from '../../src/context.js';
import { mailMessages, revocations, webhookDeliveries, webhookEndpoints } from '../../src/db/schema.js';
import type { RevocationMessage } from '../../src/realtime/bus.js';
import { recordAudit } from '../../src/services/audit.js';
import { createAdmin } from '../../src/services/bootstrap.js';
import { enqueueMail } from '../../src/services/mail.js';
import { recordRevocations } from '../../src/services/revocations.js';
import { changeRole } from '../../src/services/roles.js';
import { revokeUserSessions } from '../../src/services/sessions.js';
import { inTransaction } from '../../src/services/transaction.js';
import { CORE_ENV, sleep } from '@portcullis/testing/core';
import { bearer, registerUser, request, uniqueEmail } from '@portcullis/testing/http';
import { startServer, type TestServer } from '@portcullis/testing/server';
import { apiTest, startApi } from '@portcullis/testing/fixtures';

const test = apiTest(CORE_ENV);

/**
 * Effects after commit (services/transaction.ts): mail queued and revocations written inside
 * inTransaction wake the sender and reach every instance once the transaction commits, never
 * when it rolls back, and no service does either by hand. Real database: PGlite, or PostgreSQL
 * (and Redis) with DATABASE_URL (and REDIS_URL).
 */
describe('effects after commit', () => {
  test.beforeAll(startApi);

  /** The server's context with the two effects observed (and still run). */
  function observed(server: TestServer) {
    const ctx = server.ctx;
    const seen = { kicks: 0, published: [] as RevocationMessage[], rowsAtPublish: [] as number[] };
    const spy: AppContext = {
      ...ctx,
      mailer: {
        ...ctx.mailer,
        kick() {
          seen.kicks += 1;
          ctx.mailer.kick();
        },
      },
      async publishRevocations(entries) {
        // Read on the pool, outside the transaction: on PostgreSQL the row is visible only once committed.
        for (const e of entries) seen.rowsAtPublish.push((await ctx.db.select().from(revocations).where(eq(revocations.subject, e.subject))).length);
        seen.published.push(...entries);
        await ctx.publishRevocations(entries);
      },
    };
    return { spy, seen };
  }

  const entry = (subject: string): RevocationMessage => ({ kind: 'session', subject, expiresAt: Date.now() + 60_000 });
  const mailTo = async (server: TestServer, to: string) => (await server.ctx.db.select().from(mailMessages).where(eq(mailMessages.to, to))).length;
  const rowsOf = async (server: TestServer, subject: string) => (await server.ctx.db.select().from(revocations).where(eq(revocations.subject, subject))).length;
  const notice = { subject: 'Test notice', text: 'Hello', html: '<p>Hello</p>' };

  test('runs once, after the commit: the sender is woken once and the revocations published together', async ({ server }) => {
    const { spy, seen } = observed(server);
    const to = uniqueEmail('effects');
    const [first, second] = [crypto.randomUUID(), crypto.randomUUID()];
    const value = await inTransaction(spy, async (tx) => {
      await enqueueMail(spy, tx, to, notice);
      await enqueueMail(spy, tx, to, notice);
      await recordRevocations(tx, [entry(first)]);
      await recordRevocations(tx, [entry(second)]);
      // Nothing has run yet: the transaction has not committed.
      expect(seen).toEqual({ kicks: 0, published: [], rowsAtPublish: [] });
      return 'done';
    });
    expect(value).toBe('done');
    expect(seen.kicks).toBe(1);
    expect(seen.published.map((e) => e.subject)).toEqual([first, second]);
    expect(seen.rowsAtPublish).toEqual([1, 1]);
    expect(await mailTo(server, to)).toBe(2);
    // Published means applied on this instance at once.
    expect(server.ctx.revocations.isRevoked({ sid: first, sub: 'someone', role: 'user' })).toBe(true);
  });

  test('runs nothing when the transaction rolls back', async ({ server }) => {
    const { spy, seen } = observed(server);
    const to = uniqueEmail('rolled-back');
    const subject = crypto.randomUUID();
    const refused = inTransaction(spy, async (tx) => {
      await enqueueMail(spy, tx, to, notice);
      await recordRevocations(tx, [entry(subject)]);
      throw new Error('refused');
    });
    await expect(refused).rejects.toThrow('refused');
    expect(seen).toEqual({ kicks: 0, published: [], rowsAtPublish: [] });
    expect(await mailTo(server, to)).toBe(0);
    expect(await rowsOf(server, subject)).toBe(0);
    expect(server.ctx.revocations.isRevoked({ sid: subject, sub: 'someone', role: 'user' })).toBe(false);
  });

  test('runs nothing for a transaction that queued nothing', async ({ server }) => {
    const { spy, seen } = observed(server);
    expect(await inTransaction(spy, async (tx) => (await tx.select().from(revocations).limit(1)).length >= 0)).toBe(true);
    expect(seen).toEqual({ kicks: 0, published: [], rowsAtPublish: [] });
  });

  test('refuses, at compile time, to queue mail or write revocations outside inTransaction', async ({ server }) => {
    const { spy } = observed(server);
    await expect(
      spy.db.transaction(async (tx) => {
        // @ts-expect-error a plain transaction carries no effects: only inTransaction's Tx does
        await recordRevocations(tx, [entry(crypto.randomUUID())]);
      }),
    ).rejects.toThrow();
  });

  test('wakes the webhook sender after the commit of a change a webhook reports (the CLI creating an admin)', async ({ server }) => {
    const ctx = server.ctx;
    const seen = { kicks: 0, deliveriesAtKick: [] as number[] };
    const [hook] = await ctx.db
      .insert(webhookEndpoints)
      .values({ url: 'https://receiver.invalid/hook', events: ['user.created'], secret: 'whsec_test' })
      .returning({ id: webhookEndpoints.id });
    if (!hook) throw new Error('no endpoint row');
    const deliveries = async () => (await ctx.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, hook.id))).length;
    const spy: AppContext = {
      ...ctx,
      webhooks: {
        ...ctx.webhooks,
        kick() {
          seen.kicks += 1;
          // Read on the pool, as the sender does: the event must already be committed.
          void deliveries().then((n) => seen.deliveriesAtKick.push(n));
        },
      },
    };
    try {
      const admin = await createAdmin(spy, { email: uniqueEmail('cli-admin'), password: 'A-long-admin-passw0rd!', displayName: 'Ops' }, { via: 'cli' });
      expect(admin?.role).toBe('admin');
      expect(seen.kicks).toBe(1);
      await expect.poll(() => seen.deliveriesAtKick).toEqual([1]);
    } finally {
      await ctx.db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, hook.id));
    }
  });

  test('refuses, at compile time, an audit event that is also a webhook event outside inTransaction', async ({ server }) => {
    const db = server.ctx.db;
    const failure = { type: 'login.failed', userId: null, details: { reason: 'test' } } as const;
    // A failure is no webhook event: it may be written on its own.
    await recordAudit(db, failure);
    await expect(
      db.transaction(async (tx) => {
        // @ts-expect-error user.created is sent to webhooks: only inTransaction's Tx wakes the sender
        await recordAudit(tx, { type: 'user.registered', userId: null });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
  });

  test('a service revokes on this instance before it returns', async ({ server }) => {
    const alice = await registerUser(server.url);
    const { spy, seen } = observed(server);
    expect(await revokeUserSessions(spy, alice.user.id, { reason: 'test' })).toBe(1);
    expect(seen.published).toHaveLength(1);
    // No waiting: the response of the route that called it could go out now.
    expect((await request(server.url, 'GET', '/api/auth/me', { headers: bearer(alice.accessToken) })).status).toBe(401);
  });

  // Other instances hear of it through the bus; PGlite is one process only.
  test.skipIf(!process.env.DATABASE_URL)('a role change is refused at once on another instance', async ({ server }) => {
    const second = await startServer(server.env);
    try {
      const bob = await registerUser(server.url, { email: uniqueEmail('role') });
      const me = (url: string) => request(url, 'GET', '/api/auth/me', { headers: bearer(bob.accessToken) });
      expect((await me(second.url)).status).toBe(200);
      await changeRole(server.ctx, bob.user.id, 'admin', { actorId: null, via: 'cli' });
      expect((await me(server.url)).status).toBe(401);
      // The bus delivers within milliseconds; 5 s is far below the 30 s periodic reload, the only
      // other way the revocation could reach the second instance, so a missing publish fails.
      let status = 0;
      const deadline = Date.now() + 5_000;
      while (status !== 401 && Date.now() < deadline) {
        status = (await me(second.url)).status;
        if (status !== 401) await sleep(50);
      }
      expect(status).toBe(401);
    } finally {
      await second.close();
    }
  });
});

describe('no service runs an effect by hand', () => {
  const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
  /** The helper runs them; server.ts wires the publisher; context.ts and mail/sender.ts declare them. */
  const ALLOWED = new Set(['services/transaction.ts', 'server.ts', 'context.ts', 'mail/sender.ts']);

  test('only services/transaction.ts kicks the mailer or publishes revocations', () => {
    const offenders = (readdirSync(SRC, { recursive: true }) as string[])
      .filter((file) => file.endsWith('.ts') && !ALLOWED.has(file.split('\\').join('/')))
      .filter((file) => /\.kick\(|\.publishRevocations\b/.test(readFileSync(SRC + file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
