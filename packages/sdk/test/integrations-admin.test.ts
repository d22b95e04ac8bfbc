// Issue 15 from the SDK, against the real API: an admin manages webhook endpoints (create, list,
// update, enable/disable, delete), reads the delivery log and resends, and manages service accounts,
// through client.admin.webhooks and client.admin.serviceAccounts, with the contract's typed errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthClient, type AuthClient, type WebhookDeliveryPage } from '../src/index.js';
import { clientCredentials } from '../src/server.js';

interface RunningApi {
  url: string;
  close(): Promise<void>;
}
interface Receiver {
  url: string;
  events: { id: string; type: string; data: Record<string, unknown> }[];
  setSecret(secret: string): void;
  waitFor(predicate: (events: Receiver['events']) => boolean): Promise<void>;
  close(): Promise<void>;
}
// Through variables, as in integration.test.ts: this package's tsc must not pull in the API's sources.
const serverHelper = '@portcullis/testing/server';
const receiverHelper = '@portcullis/testing/webhookReceiver';
const startServer = async (env: Record<string, string>): Promise<RunningApi> =>
  ((await import(/* @vite-ignore */ serverHelper)) as { startServer(env: Record<string, string>): Promise<RunningApi> }).startServer(env);
const startWebhookReceiver = async (): Promise<Receiver> =>
  ((await import(/* @vite-ignore */ receiverHelper)) as { startWebhookReceiver(): Promise<Receiver> }).startWebhookReceiver();

const ADMIN = { email: 'sdk.integrations.admin@example.com', password: 'Sdk-Admin-Pass-5!' };

describe('client.admin.webhooks and client.admin.serviceAccounts (real API)', () => {
  let api: RunningApi;
  let receiver: Receiver;
  const clients: AuthClient[] = [];
  const signedInAdmin = async () => {
    const client = createAuthClient({ baseUrl: api.url, transport: 'body' });
    clients.push(client);
    await client.login(ADMIN);
    return client;
  };
  beforeAll(async () => {
    // The receiver listens on loopback: allowed here as for an internal receiver.
    api = await startServer({
      RATE_LIMITS: 'off',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      ALLOW_BOOTSTRAP: 'true',
      BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await receiver?.close();
    await api?.close();
  });

  it('creates, lists, updates and deletes an endpoint; reads its delivery log and resends', async () => {
    const admin = await signedInAdmin();
    const { endpoint, secret } = await admin.admin.webhooks.create({ url: receiver.url, events: ['user.created'], description: 'crm' });
    expect(secret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({ url: receiver.url, events: ['user.created'], description: 'crm', enabled: true });
    receiver.setSecret(secret);
    expect((await admin.admin.webhooks.list()).map((e) => e.id)).toContain(endpoint.id);

    // Disabled, then enabled again: update answers the endpoint as it now is.
    expect(await admin.admin.webhooks.update(endpoint.id, { enabled: false })).toMatchObject({ id: endpoint.id, enabled: false });
    expect(await admin.admin.webhooks.update(endpoint.id, { enabled: true, events: ['user.created', 'user.deleted'] })).toMatchObject({
      enabled: true,
      events: ['user.created', 'user.deleted'],
    });

    const email = `sdk.hooked.${Date.now().toString(36)}@example.com`;
    const person = createAuthClient({ baseUrl: api.url, transport: 'body' });
    clients.push(person);
    await person.register({ email, password: 'Correct-Horse-9!', displayName: 'Hooked' });
    await receiver.waitFor((events) => events.some((e) => e.type === 'user.created' && (e.data.user as { email?: string })?.email === email));

    // The log shows it delivered (the receiver answered before the sender recorded it: poll).
    let log: WebhookDeliveryPage;
    do log = await admin.admin.webhooks.deliveries(endpoint.id, { limit: 10 });
    while (log.deliveries[0]?.status !== 'succeeded');
    expect(log.total).toBe(1);
    const [delivery] = log.deliveries;
    expect(delivery).toMatchObject({ endpointId: endpoint.id, eventType: 'user.created', status: 'succeeded', responseStatus: 204 });

    // Resend: a new delivery of the same event, same webhook-id, received again.
    const resent = await admin.admin.webhooks.resend(endpoint.id, delivery!.id);
    expect(resent).toMatchObject({ endpointId: endpoint.id, messageId: delivery!.messageId, payload: delivery!.payload });
    expect(resent.id).not.toBe(delivery!.id);
    await receiver.waitFor((events) => events.filter((e) => e.id === delivery!.messageId).length === 2);

    // Typed errors from the contract.
    await expect(admin.admin.webhooks.update('00000000-0000-4000-8000-000000000000', { enabled: false })).rejects.toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
    await expect(admin.admin.webhooks.create({ url: 'ftp://example.com/hook', events: ['user.created'] })).rejects.toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
    });

    await admin.admin.webhooks.remove(endpoint.id);
    expect((await admin.admin.webhooks.list()).map((e) => e.id)).not.toContain(endpoint.id);
    await expect(admin.admin.webhooks.deliveries(endpoint.id)).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('creates, lists and deletes a service account; its client credentials stop working', async () => {
    const admin = await signedInAdmin();
    const { serviceAccount, clientSecret } = await admin.admin.serviceAccounts.create({ name: 'billing', role: 'moderator' });
    expect(serviceAccount).toMatchObject({ name: 'billing', role: 'moderator', lastUsedAt: null });
    expect(await admin.admin.serviceAccounts.list()).toContainEqual(serviceAccount);

    const token = await clientCredentials({ baseUrl: api.url, clientId: serviceAccount.clientId, clientSecret }).accessToken();
    expect(token.split('.')).toHaveLength(3);

    await admin.admin.serviceAccounts.remove(serviceAccount.id);
    expect((await admin.admin.serviceAccounts.list()).map((s) => s.id)).not.toContain(serviceAccount.id);
    await expect(clientCredentials({ baseUrl: api.url, clientId: serviceAccount.clientId, clientSecret }).accessToken()).rejects.toMatchObject({
      status: 401,
      code: 'INVALID_CREDENTIALS',
    });
    await expect(admin.admin.serviceAccounts.remove(serviceAccount.id)).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });

    // Not an admin: FORBIDDEN.
    const person = createAuthClient({ baseUrl: api.url, transport: 'body' });
    clients.push(person);
    await person.register({ email: `sdk.plain.${Date.now().toString(36)}@example.com`, password: 'Correct-Horse-9!', displayName: 'Plain' });
    await expect(person.admin.serviceAccounts.list()).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' });
    await expect(person.admin.webhooks.list()).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });
});
