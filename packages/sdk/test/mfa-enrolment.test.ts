// setupTotp / enableTotp (with the optional password) and the admin's resetUserMfa against the REAL API.
import { createHmac } from 'node:crypto';
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
const ADMIN = { email: 'sdk.admin@example.com', password: 'Sdk-Admin-Pass-7!' };

/** RFC 6238 with SHA-1, 6 digits and 30-second steps: what an authenticator app shows at `at`. */
function totp(base32: string, at: number): string {
  const bits = [...base32.replace(/=+$/, '')].map((c) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(c).toString(2).padStart(5, '0')).join('');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

describe('MFA enrolment and the admin reset through the SDK', () => {
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

  it('enableTotp: an old sign-in needs the password, with a typed error that says so', async () => {
    const client = newClient();
    const { user } = await client.register({ email: `sdk.mfa.${Date.now().toString(36)}@example.com`, password: PASSWORD, displayName: 'SDK MFA' });
    const setup = await client.setupTotp();
    expect(setup.secret).toMatch(/^[A-Z2-7]+$/);
    expect(setup.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    await api.query(`update sessions set created_at = now() - interval '11 minutes' where user_id = '${user.id}'`);

    const code = totp(setup.secret, Date.now());
    const refused = client.enableTotp({ code });
    await expect(refused).rejects.toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    await expect(refused).rejects.toHaveProperty('details', [{ field: 'password', message: expect.any(String) }]);
    expect(client.isAuthenticated()).toBe(true); // a re-authentication refusal is not a dead session

    const codes = await client.enableTotp({ code, password: PASSWORD });
    expect(codes).toHaveLength(10);
    expect(client.getUser()?.mfaEnabled).toBe(true);
  });

  it('resetUserMfa: an admin resets another user; anyone else is refused', async () => {
    const person = newClient();
    const { user } = await person.register({ email: `sdk.reset.${Date.now().toString(36)}@example.com`, password: PASSWORD, displayName: 'SDK Reset' });
    const setup = await person.setupTotp();
    await person.enableTotp({ code: totp(setup.secret, Date.now()) });

    await expect(person.resetUserMfa(user.id)).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' });

    const admin = newClient();
    await admin.login(ADMIN);
    const result = await admin.resetUserMfa(user.id);
    expect(result.user).toMatchObject({ id: user.id, mfaEnabled: false });
    expect(result.sessionsRevoked).toBe(1);
    await expect(admin.resetUserMfa(user.id)).rejects.toMatchObject({ status: 409, code: 'CONFLICT' });
  });
});
