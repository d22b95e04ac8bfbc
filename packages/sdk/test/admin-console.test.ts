// The admin console's typed calls (client.admin, not in the contract) against the REAL API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthClient, type AuthClient } from '../src/index.js';

interface RunningApi {
  url: string;
  query(text: string): Promise<unknown[]>;
  close(): Promise<void>;
}
// Through a variable, as in integration.test.ts: this package's tsc must not pull in the API's sources.
const helperPath = '@portcullis/testing/server';
const startServer = async (env: Record<string, string>): Promise<RunningApi> =>
  ((await import(/* @vite-ignore */ helperPath)) as { startServer(env: Record<string, string>): Promise<RunningApi> }).startServer(env);

const PASSWORD = 'Correct-Horse-9!';
const ADMIN = { email: 'sdk.console.admin@example.com', password: 'Sdk-Admin-Pass-7!' };

describe('client.admin', () => {
  let api: RunningApi;
  const clients: AuthClient[] = [];
  const newClient = () => {
    const client = createAuthClient({ baseUrl: api.url, transport: 'body' });
    clients.push(client);
    return client;
  };
  beforeAll(async () => {
    api = await startServer({ RATE_LIMITS: 'off', ALLOW_BOOTSTRAP: 'true', BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await api?.close();
  });

  it('invites, lists with status, locks and unlocks, reads the audit log and exports it, with typed errors', async () => {
    const admin = newClient();
    await admin.login(ADMIN);
    const email = `sdk.invited.${Date.now().toString(36)}@example.com`;
    const invited = await admin.admin.inviteUser({ email, displayName: 'Sdk Invited' });
    expect(invited).toMatchObject({ email, role: 'user', signInMethods: [], lockedAt: null });
    await expect(admin.admin.inviteUser({ email, displayName: 'Again' })).rejects.toMatchObject({ status: 409, code: 'EMAIL_TAKEN' });

    const person = newClient();
    const { user } = await person.register({ email: `sdk.locked.${Date.now().toString(36)}@example.com`, password: PASSWORD, displayName: 'Sdk Locked' });
    const list = await admin.admin.accounts({ query: 'sdk' });
    expect(list.adminCount).toBe(1);
    expect(list.users.map((u) => u.id)).toEqual(expect.arrayContaining([invited.id, user.id]));

    const locked = await admin.admin.lockUser(user.id, 'SDK test');
    expect(locked).toMatchObject({ sessionsRevoked: 1, user: { lockedReason: 'SDK test' } });
    await expect(newClient().login({ email: user.email, password: PASSWORD })).rejects.toMatchObject({ status: 403, code: 'ACCOUNT_LOCKED' });
    await expect(admin.admin.lockUser(user.id, 'again')).rejects.toMatchObject({ status: 409, code: 'CONFLICT' });
    expect((await admin.admin.unlockUser(user.id)).lockedAt).toBeNull();

    // A role with more rights: a fresh sign-in suffices; a wrong password is refused, typed.
    expect((await admin.admin.changeRole(user.id, { role: 'moderator' })).role).toBe('moderator');
    expect((await admin.admin.changeRole(user.id, { role: 'user', password: ADMIN.password })).role).toBe('user');
    await expect(admin.admin.changeRole(user.id, { role: 'admin', password: 'Wrong-Password-1!' })).rejects.toMatchObject({
      status: 401,
      code: 'INVALID_CREDENTIALS',
    });

    const account = await admin.admin.account(user.id);
    expect(account.recentEvents.map((e) => e.type)).toEqual(expect.arrayContaining(['user.locked', 'user.unlocked']));
    const page = await admin.admin.auditLog({ person: 'Sdk Locked', type: 'user.locked' });
    expect(page.events[0]).toMatchObject({ user: { id: user.id }, actor: { email: ADMIN.email } });
    const csv = await (await admin.admin.exportAuditLog({ userId: user.id, type: 'user.locked' })).text();
    expect(csv.trimEnd().split('\r\n')).toHaveLength(2);

    await expect(person.admin.accounts()).rejects.toMatchObject({ status: 401 });
    const plain = newClient();
    await plain.register({ email: `sdk.plain.${Date.now().toString(36)}@example.com`, password: PASSWORD, displayName: 'Plain' });
    await expect(plain.admin.auditLog()).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' });
    await expect(plain.admin.exportAuditLog()).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });
});
