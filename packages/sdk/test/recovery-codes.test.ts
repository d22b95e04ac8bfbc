// recoveryCodesRemaining / regenerateRecoveryCodes against the REAL API (a fresh database, body transport).
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthClient, type AuthClient } from '../src/index.js';

interface RunningApi {
  url: string;
  close(): Promise<void>;
}
// Through a variable, as in integration.test.ts: this package's tsc must not pull in the API's sources.
const helperPath = '@portcullis/testing/server';
const startServer = async (): Promise<RunningApi> => ((await import(/* @vite-ignore */ helperPath)) as { startServer(): Promise<RunningApi> }).startServer();

const PASSWORD = 'Correct-Horse-9!';

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

describe('recovery codes through the SDK', () => {
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

  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const res = await client.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.ok).toBe(true);
    return (await res.json()) as T;
  };

  it('counts, refuses a wrong password with a typed error, and regenerates', async () => {
    await client.register({ email: `sdk.rc.${Date.now().toString(36)}@example.com`, password: PASSWORD, displayName: 'SDK RC' });
    await expect(client.recoveryCodesRemaining()).resolves.toBe(0);

    const { secret } = await post<{ secret: string }>('/api/auth/mfa/totp/setup', {});
    const enabledAt = Date.now();
    const { recoveryCodes } = await post<{ recoveryCodes: string[] }>('/api/auth/mfa/totp/enable', { code: totp(secret, enabledAt) });
    await expect(client.recoveryCodesRemaining()).resolves.toBe(10);

    const code = totp(secret, enabledAt + 30_000);
    await expect(client.regenerateRecoveryCodes({ password: 'Wrong-Horse-1!', code })).rejects.toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    expect(client.isAuthenticated()).toBe(true); // a wrong password is not a dead session

    const fresh = await client.regenerateRecoveryCodes({ password: PASSWORD, code });
    expect(fresh).toHaveLength(10);
    expect(fresh.some((c) => recoveryCodes.includes(c))).toBe(false);
    await expect(client.regenerateRecoveryCodes({ password: PASSWORD, code })).rejects.toMatchObject({ status: 400, code: 'INVALID_MFA_CODE' });
  });
});
