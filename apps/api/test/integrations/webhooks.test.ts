import { describe, expect } from 'vitest';
import { WEBHOOK_EVENT_TYPES } from '@portcullis/contract';
import { accessEnv, login, loginAdmin, newUser, type Person } from '@portcullis/testing/access';
import { apiTest } from '@portcullis/testing/fixtures';
import { bearer, request, STRONG_PASSWORD } from '@portcullis/testing/http';
import { codeAt } from '@portcullis/testing/totp';
import { startWebhookReceiver, type ReceivedEvent, type WebhookReceiver } from '@portcullis/testing/webhookReceiver';

/**
 * Webhooks (issue 15): a real receiver on this machine verifies every Standard Webhooks signature
 * with the `standardwebhooks` library. It is down while the walk begins (so deliveries fail with
 * 503 and are retried with backoff) and comes back; every event of a sign-up-to-deletion walk
 * then arrives, exactly as signed. Loopback targets are allowed here (WEBHOOK_ALLOW_PRIVATE).
 */

const test = apiTest(accessEnv({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE: '100ms', MFA_MAX_CONSECUTIVE_FAILURES: '2' })).extend(
  'receiver',
  { scope: 'file' },
  // eslint-disable-next-line no-empty-pattern -- Vitest reads a fixture's needs from this destructuring.
  async ({}, { onCleanup }) => {
    const receiver = await startWebhookReceiver();
    onCleanup(() => receiver.close());
    return receiver;
  },
);

describe('webhooks', () => {
  let admin: Person;
  let endpointId: string;
  test.beforeAll(async ({ server, receiver }) => {
    admin = await loginAdmin(server.url);
    const created = await request(server.url, 'POST', '/api/admin/webhooks', {
      headers: bearer(admin.accessToken),
      body: { url: receiver.url, events: [...WEBHOOK_EVENT_TYPES], description: 'the test receiver' },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    endpointId = created.body.endpoint.id;
    receiver.setSecret(created.body.secret);
  });

  const forUser = (events: ReceivedEvent[], userId: string) => events.filter((e) => e.data.userId === userId);

  test('a sign-up-to-deletion walk reaches the receiver, signed, after it was down', async ({ server, receiver }) => {
    receiver.down();
    const mia = await newUser(server.url, 'Mia');
    const renamed = await request(server.url, 'PATCH', '/api/auth/me', { headers: bearer(mia.accessToken), body: { displayName: 'Mia Two' } });
    expect(renamed.status).toBe(200);
    // Refused while down, each attempt logged with the receiver's answer, and retried.
    await receiver.waitFor(() => receiver.refused >= 3);
    const log = await request(server.url, 'GET', `/api/admin/webhooks/${endpointId}/deliveries?limit=100`, { headers: bearer(admin.accessToken) });
    expect(log.status).toBe(200);
    const created = log.body.deliveries.find((d: any) => d.eventType === 'user.created' && JSON.parse(d.payload).data.userId === mia.id);
    expect(created).toMatchObject({ status: 'pending', responseStatus: 503, lastError: 'answered 503' });
    expect(created.attempts).toBeGreaterThanOrEqual(1);
    receiver.up();

    // A second session, ended by logout.
    const second = await login(server.url, mia.email, STRONG_PASSWORD);
    expect((await request(server.url, 'POST', '/api/auth/logout', { body: { refreshToken: second.refreshToken } })).status).toBe(204);
    // Two-step on; then wrong codes at sign-in until it locks (MFA_MAX_CONSECUTIVE_FAILURES=2 here).
    const auth = bearer(mia.accessToken);
    const setup = await request(server.url, 'POST', '/api/auth/mfa/totp/setup', { headers: auth });
    expect(
      (await request(server.url, 'POST', '/api/auth/mfa/totp/enable', { headers: auth, body: { code: codeAt(setup.body.secret, Date.now()) } })).status,
    ).toBe(200);
    const challenge = await request(server.url, 'POST', '/api/auth/login', { body: { email: mia.email, password: STRONG_PASSWORD } });
    const wrong = codeAt(setup.body.secret, Date.now() + 3_600_000);
    for (let i = 0; i < 2; i += 1)
      expect((await request(server.url, 'POST', '/api/auth/login/mfa', { body: { mfaToken: challenge.body.mfaToken, code: wrong } })).status).toBe(401);
    // The admin resets the second factor (signing her out), promotes her, then deletes her.
    const adminAuth = bearer(admin.accessToken);
    expect((await request(server.url, 'POST', `/api/admin/users/${mia.id}/mfa/reset`, { headers: adminAuth })).status).toBe(200);
    expect((await request(server.url, 'PATCH', `/api/admin/users/${mia.id}`, { headers: adminAuth, body: { role: 'moderator' } })).status).toBe(200);
    expect((await request(server.url, 'DELETE', `/api/admin/users/${mia.id}`, { headers: adminAuth })).status).toBe(204);

    const walk = ['user.created', 'user.updated', 'session.revoked', 'mfa.enabled', 'user.locked', 'mfa.disabled', 'role.changed', 'user.deleted'];
    await receiver.waitFor((events) => walk.every((type) => forUser(events, mia.id).some((e) => e.type === type)));
    const mine = forUser(receiver.events, mia.id);
    // Two sessions created (registration, the second login) and both revoked (logout, the MFA reset).
    await receiver.waitFor((events) => forUser(events, mia.id).filter((e) => e.type === 'session.revoked').length === 2);
    expect(mine.filter((e) => e.type === 'session.created')).toHaveLength(2);
    expect(receiver.badSignatures).toBe(0);
    expect(mine.find((e) => e.type === 'user.created')?.data.user).toMatchObject({ id: mia.id, email: mia.email, displayName: 'Mia', role: 'user' });
    expect(mine.find((e) => e.type === 'user.updated')?.data.user).toMatchObject({ displayName: 'Mia Two' });
    expect(mine.find((e) => e.type === 'user.locked')?.data).toMatchObject({ reason: 'mfa_failures' });
    expect(mine.find((e) => e.type === 'role.changed')?.data).toMatchObject({ actorId: admin.id, user: { role: 'moderator' } });
    expect(mine.find((e) => e.type === 'user.deleted')?.data).toMatchObject({ actorId: admin.id, email: mia.email });
    // Exactly as signed: the body is the payload the log shows, and each event's id is its own.
    const deleted = mine.find((e) => e.type === 'user.deleted');
    const after = await request(server.url, 'GET', `/api/admin/webhooks/${endpointId}/deliveries?limit=100`, { headers: adminAuth });
    const row = after.body.deliveries.find((d: any) => d.messageId === deleted?.id);
    expect(row).toMatchObject({ status: 'succeeded', responseStatus: 204, payload: deleted?.raw });
    expect(new Set(mine.map((e) => e.id)).size).toBe(mine.length);
    // Every event of the walk, not just that one: each of her deliveries in the log succeeded, and
    // the receiver verified a body byte for byte the logged payload under the same webhook-id.
    // (The receiver records an event before it answers: the log is read until the sender has recorded every answer.)
    let hers: any[];
    do {
      const page = await request(server.url, 'GET', `/api/admin/webhooks/${endpointId}/deliveries?limit=100`, { headers: adminAuth });
      hers = page.body.deliveries.filter((d: any) => JSON.parse(d.payload).data.userId === mia.id);
    } while (hers.some((d) => d.status === 'pending'));
    const received = forUser(receiver.events, mia.id);
    expect(hers.length).toBe(received.length);
    for (const delivery of hers) {
      expect(delivery.status, `${delivery.eventType} ${delivery.messageId}`).toBe('succeeded');
      expect(received.find((e) => e.id === delivery.messageId)?.raw, delivery.eventType).toBe(delivery.payload);
    }

    // Resend: the same event (same webhook-id and body) arrives again.
    const resent = await request(server.url, 'POST', `/api/admin/webhooks/${endpointId}/deliveries/${row.id}/resend`, { headers: adminAuth });
    expect(resent.status).toBe(202);
    expect(resent.body.delivery).toMatchObject({ messageId: deleted?.id, status: 'pending' });
    await receiver.waitFor((events) => events.filter((e) => e.id === deleted?.id).length === 2);
    expect(receiver.events.filter((e) => e.id === deleted?.id).every((e) => e.raw === deleted?.raw)).toBe(true);
  });

  test('a disabled endpoint gets nothing new; enabled again, what waited is delivered', async ({ server, receiver }) => {
    const adminAuth = bearer(admin.accessToken);
    const off = await request(server.url, 'PATCH', `/api/admin/webhooks/${endpointId}`, { headers: adminAuth, body: { enabled: false } });
    expect(off.body.endpoint.enabled).toBe(false);
    // Written while disabled: no delivery at all (only enabled endpoints get events).
    const ned = await newUser(server.url, 'Ned');
    await server.ctx.webhooks.flush();
    expect(forUser(receiver.events, ned.id)).toHaveLength(0);
    expect(await server.query(`select 1 from webhook_deliveries where payload like '%${ned.id}%'`)).toHaveLength(0);
    await request(server.url, 'PATCH', `/api/admin/webhooks/${endpointId}`, { headers: adminAuth, body: { enabled: true } });
    const oli = await newUser(server.url, 'Oli');
    await receiver.waitFor((events) => forUser(events, oli.id).some((e) => e.type === 'user.created'));
  });

  test('only admins manage endpoints; the secret is stored encrypted; the audit log records the changes', async ({ server, receiver }) => {
    const user = await newUser(server.url, 'Pia');
    const res = await request(server.url, 'GET', '/api/admin/webhooks', { headers: bearer(user.accessToken) });
    expect(res.status).toBe(403);
    const rows = await server.query<{ secret: string }>(`select secret from webhook_endpoints where id = '${endpointId}'`);
    expect(rows[0]?.secret.startsWith('whsec_')).toBe(false);
    const list = await request(server.url, 'GET', '/api/admin/webhooks', { headers: bearer(admin.accessToken) });
    expect(list.body.endpoints).toEqual([expect.objectContaining({ id: endpointId, url: receiver.url, enabled: true })]);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    const audit = await request(server.url, 'GET', '/api/admin/audit-events?type=webhook.endpoint_created', { headers: bearer(admin.accessToken) });
    expect(audit.body.events[0]).toMatchObject({ actorId: admin.id, details: { endpointId, host: new URL(receiver.url).host } });
  });

  test('a bad url or event is 400; an unknown endpoint is 404', async ({ server }) => {
    const adminAuth = bearer(admin.accessToken);
    const bad = await request(server.url, 'POST', '/api/admin/webhooks', { headers: adminAuth, body: { url: 'ftp://x.example', events: ['user.eaten'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['events.0', 'url']);
    const missing = await request(server.url, 'PATCH', '/api/admin/webhooks/00000000-0000-4000-8000-000000000000', {
      headers: adminAuth,
      body: { enabled: false },
    });
    expect(missing.status).toBe(404);
  });
});

export type { WebhookReceiver };
