// changeEmail / confirmEmailChange against the REAL API: the link is read from the dev outbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthClient, type AuthClient } from '../src/index.js';

interface RunningApi {
  url: string;
  close(): Promise<void>;
}
// Through a variable, as in integration.test.ts: this package's tsc must not pull in the API's sources.
const helperPath = '../../../apps/api/test/helpers/server.js';
const startServer = async (): Promise<RunningApi> => ((await import(/* @vite-ignore */ helperPath)) as { startServer(): Promise<RunningApi> }).startServer();

describe('email change against the real API', () => {
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

  async function mailedToken(to: string): Promise<string> {
    for (let i = 0; i < 50; i++) {
      const { messages } = (await (await fetch(`${api.url}/api/dev/outbox`)).json()) as { messages: { to: string; text: string }[] };
      const token = messages.find((m) => m.to === to)?.text.match(/confirm-email-change\?token=([A-Za-z0-9_-]+)/)?.[1];
      if (token) return token;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no link mailed to ${to}`);
  }

  it('asks with the password, confirms with the mailed token, and getUser() has the new address', async () => {
    const stamp = Date.now().toString(36);
    await client.register({ email: `sdk.old.${stamp}@example.com`, password: PASSWORD, displayName: 'SDK Person' });
    await expect(client.changeEmail({ newEmail: `sdk.new.${stamp}@example.com`, password: 'Wrong-Horse-1' })).rejects.toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    await expect(client.changeEmail({ newEmail: `sdk.new.${stamp}@example.com`, password: PASSWORD })).resolves.toBeUndefined();
    const token = await mailedToken(`sdk.new.${stamp}@example.com`);

    const user = await client.confirmEmailChange(token);
    expect(user).toMatchObject({ email: `sdk.new.${stamp}@example.com`, emailVerified: true });
    expect(client.getUser()?.email).toBe(`sdk.new.${stamp}@example.com`);
    await expect(client.confirmEmailChange(token)).rejects.toMatchObject({ status: 400, code: 'INVALID_TOKEN' });

    // Another client, signed in as no one, can confirm too; it keeps no user.
    const other = createAuthClient({ baseUrl: api.url, transport: 'body' });
    await client.changeEmail({ newEmail: `sdk.third.${stamp}@example.com`, password: PASSWORD });
    await expect(other.confirmEmailChange(await mailedToken(`sdk.third.${stamp}@example.com`))).resolves.toMatchObject({ email: `sdk.third.${stamp}@example.com` });
    expect(other.getUser()).toBeNull();
    other.close();
  });
});
