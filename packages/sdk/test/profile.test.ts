// updateProfile / deleteAccount: against the fake API (what is sent, what the client keeps), then the REAL API,
// with changeEmail / confirmEmailChange (the link read from the dev outbox).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthClient, type AuthClient } from '../src/index.js';
import { createFakeApi, testUser, type FakeApi } from './helpers/fake-api.js';

const FAKE_PASSWORD = 'Correct-horse1!';

describe('profile methods (fake API)', () => {
  let api: FakeApi;
  let client: AuthClient;
  const onEnd = vi.fn();

  beforeEach(async () => {
    vi.useFakeTimers({ now: new Date('2025-06-01T12:00:00Z') });
    onEnd.mockReset();
    api = createFakeApi();
    client = createAuthClient({ baseUrl: 'http://api.test', fetch: api.fetch, onSessionEnd: onEnd });
    await client.login({ email: testUser.email, password: FAKE_PASSWORD });
  });
  afterEach(() => {
    client.close();
    vi.useRealTimers();
  });

  it('updateProfile sends only the name, with the bearer token, and the cached user follows', async () => {
    const user = await client.updateProfile({ displayName: 'Ada Lovelace' });
    expect(user).toEqual({ ...testUser, displayName: 'Ada Lovelace' });
    expect(client.getUser()).toEqual(user);
    const call = api.calls.at(-1)!;
    expect(call).toMatchObject({ method: 'PATCH', path: '/api/auth/me', body: { displayName: 'Ada Lovelace' } });
    expect(call.headers.get('authorization')).toBe('Bearer at-1');
    expect(call.headers.get('content-type')).toBe('application/json');
  });

  it('deleteAccount: a wrong password is a typed error and the session stays, without a refresh', async () => {
    await expect(client.deleteAccount({ password: 'nope' })).rejects.toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    expect(client.isAuthenticated()).toBe(true);
    expect(api.count('/api/auth/refresh')).toBe(0);
  });

  it('deleteAccount signs the client out as logout does: state cleared, timers stopped, no onSessionEnd', async () => {
    await client.deleteAccount({ password: FAKE_PASSWORD, code: '123456' });
    const call = api.calls.at(-1)!;
    expect(call).toMatchObject({ method: 'DELETE', path: '/api/auth/me', body: { password: FAKE_PASSWORD, code: '123456' } });
    expect(call.headers.get('authorization')).toBe('Bearer at-1');
    expect(client.isAuthenticated()).toBe(false);
    expect(client.getUser()).toBeNull();
    expect(vi.getTimerCount()).toBe(0);
    expect(onEnd).not.toHaveBeenCalled();
    await expect(client.me()).rejects.toMatchObject({ status: 401 });
    expect(api.count('/api/auth/refresh')).toBe(0);
  });
});

interface RunningApi {
  url: string;
  close(): Promise<void>;
}
// Through a variable, as in integration.test.ts: this package's tsc must not pull in the API's sources.
const helperPath = '@portcullis/testing/server';
const startServer = async (): Promise<RunningApi> => ((await import(/* @vite-ignore */ helperPath)) as { startServer(): Promise<RunningApi> }).startServer();

describe('profile methods against the real API', () => {
  const PASSWORD = 'Correct-Horse-9!';
  let api: RunningApi;
  let client: AuthClient;
  beforeAll(async () => {
    api = await startServer();
    client = createAuthClient({ baseUrl: api.url, transport: 'body' });
  });
  afterAll(async () => {
    client?.close();
    await api?.close();
  });

  it('renames, refuses a wrong password, then deletes the account and is signed out', async () => {
    const email = `sdk.profile.${Date.now().toString(36)}@example.com`;
    await client.register({ email, password: PASSWORD, displayName: 'SDK Person' });

    await expect(client.updateProfile({ displayName: '  Renamed  ' })).resolves.toMatchObject({ displayName: 'Renamed' });
    expect(client.getUser()?.displayName).toBe('Renamed');
    await expect(client.me()).resolves.toMatchObject({ displayName: 'Renamed' });
    await expect(client.updateProfile({ displayName: '' })).rejects.toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });

    await expect(client.deleteAccount({ password: 'Wrong-Horse-1!' })).rejects.toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    expect(client.isAuthenticated()).toBe(true);

    await client.deleteAccount({ password: PASSWORD });
    expect(client.isAuthenticated()).toBe(false);
    expect(client.getRefreshToken()).toBeNull();
    await expect(client.login({ email, password: PASSWORD })).rejects.toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
  });

  /** The token of the link mailed to `to`, from the dev outbox. */
  async function mailedToken(to: string): Promise<string> {
    // Polled up to 20 s (was 50 tries 100 ms apart, about 5 s): the mail goes out from a
    // background job, which a busy machine can hold for seconds. A link never mailed still fails.
    for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
      const { messages } = (await (await fetch(`${api.url}/api/dev/outbox`)).json()) as { messages: { to: string; text: string }[] };
      const token = messages.find((m) => m.to === to)?.text.match(/confirm-email-change\?token=([A-Za-z0-9_-]+)/)?.[1];
      if (token) return token;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no link mailed to ${to}`);
  }

  it('changes the email address: asks with the password, confirms with the mailed token, and getUser() follows', async () => {
    const stamp = Date.now().toString(36);
    const address = (name: string) => `sdk.${name}.${stamp}@example.com`;
    await client.register({ email: address('old'), password: PASSWORD, displayName: 'SDK Person' });
    await expect(client.changeEmail({ newEmail: address('new'), password: 'Wrong-Horse-1!' })).rejects.toMatchObject({
      status: 401,
      code: 'INVALID_CREDENTIALS',
    });
    await expect(client.changeEmail({ newEmail: address('new'), password: PASSWORD })).resolves.toBeUndefined();
    const token = await mailedToken(address('new'));

    await expect(client.confirmEmailChange(token)).resolves.toMatchObject({ email: address('new'), emailVerified: true });
    expect(client.getUser()?.email).toBe(address('new'));
    await expect(client.confirmEmailChange(token)).rejects.toMatchObject({ status: 400, code: 'INVALID_TOKEN' });

    // Another client, signed in as no one, may confirm too; it keeps no user.
    const other = createAuthClient({ baseUrl: api.url, transport: 'body' });
    await client.changeEmail({ newEmail: address('third'), password: PASSWORD });
    await expect(other.confirmEmailChange(await mailedToken(address('third')))).resolves.toMatchObject({ email: address('third') });
    expect(other.getUser()).toBeNull();
    other.close();
  });
});
