import { describe, expect } from 'vitest';
import { bearer, registerUser, request, STRONG_PASSWORD } from '@portcullis/testing/http';
import { storedMail } from '@portcullis/testing/mail';
import type { TestServer } from '@portcullis/testing/server';
import { codeAt } from '@portcullis/testing/totp';
import { apiTest, startApi } from '@portcullis/testing/fixtures';

const test = apiTest();

/** What an authenticator app shows at a moment (computed here with otpauth, not the server's code). */

const COUNT = '/api/auth/mfa/recovery-codes';
const REGENERATE = '/api/auth/mfa/recovery-codes/regenerate';

describe('recovery codes: how many are left, and a new set (not in the contract)', () => {
  test.beforeAll(startApi);

  const post = (server: TestServer, path: string, body?: unknown, headers: Record<string, string> = {}) => request(server.url, 'POST', path, { body, headers });
  const remaining = async (server: TestServer, accessToken: string) => {
    const res = await request(server.url, 'GET', COUNT, { headers: bearer(accessToken) });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    return res.body.remaining as number;
  };
  /** Signs in with a recovery code; the status of the second step. */
  const loginWithRecoveryCode = async (server: TestServer, email: string, recoveryCode: string) => {
    const first = await post(server, '/api/auth/login', { email, password: STRONG_PASSWORD });
    expect(first.body.mfaRequired).toBe(true);
    return (await post(server, '/api/auth/login/mfa', { mfaToken: first.body.mfaToken, recoveryCode })).status;
  };

  async function mfaUser(server: TestServer) {
    const person = await registerUser(server.url);
    const setup = await post(server, '/api/auth/mfa/totp/setup', undefined, bearer(person.accessToken));
    const enabledAt = Date.now();
    const enable = await post(server, '/api/auth/mfa/totp/enable', { code: codeAt(setup.body.secret, enabledAt) }, bearer(person.accessToken));
    expect(enable.status).toBe(200);
    return { ...person, auth: bearer(person.accessToken), secret: setup.body.secret as string, codes: enable.body.recoveryCodes as string[], enabledAt };
  }

  test('counts unused codes: 0 while MFA is off, 10 once on, 9 after a recovery-code login; needs a bearer', async ({ server }) => {
    expect((await request(server.url, 'GET', COUNT)).status).toBe(401);
    const plain = await registerUser(server.url);
    expect(await remaining(server, plain.accessToken)).toBe(0);

    const alice = await mfaUser(server);
    expect(await remaining(server, alice.accessToken)).toBe(10);
    expect(await loginWithRecoveryCode(server, alice.email, alice.codes[0]!)).toBe(200);
    expect(await remaining(server, alice.accessToken)).toBe(9);
  });

  test('refuses without a bearer, with a wrong password, a wrong or replayed code, and when MFA is off', async ({ server }) => {
    const bob = await mfaUser(server);
    const code = codeAt(bob.secret, bob.enabledAt + 30_000);

    expect((await post(server, REGENERATE, { password: STRONG_PASSWORD, code })).status).toBe(401);
    const wrongPassword = await post(server, REGENERATE, { password: 'Wrong-Password-1', code }, bob.auth);
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.body.error.code).toBe('INVALID_CREDENTIALS');
    const wrongCode = await post(server, REGENERATE, { password: STRONG_PASSWORD, code: codeAt(bob.secret, Date.now() + 10 * 60_000) }, bob.auth);
    expect(wrongCode.status).toBe(400);
    expect(wrongCode.body.error.code).toBe('INVALID_MFA_CODE');
    // The code that turned MFA on is spent.
    const replayed = await post(server, REGENERATE, { password: STRONG_PASSWORD, code: codeAt(bob.secret, bob.enabledAt) }, bob.auth);
    expect(replayed.status).toBe(400);
    expect(replayed.body.error.code).toBe('INVALID_MFA_CODE');
    // Only a code from the app: a recovery code cannot mint ten more.
    const recovery = await post(server, REGENERATE, { password: STRONG_PASSWORD, code: bob.codes[0] }, bob.auth);
    expect(recovery.status).toBe(400);
    expect(recovery.body.error.code).toBe('VALIDATION_FAILED');
    // Nothing changed: the old codes still work and none was spent.
    expect(await remaining(server, bob.accessToken)).toBe(10);

    const carol = await registerUser(server.url);
    const off = await post(server, REGENERATE, { password: STRONG_PASSWORD, code: '123456' }, bearer(carol.accessToken));
    expect(off.status).toBe(409);
    expect(off.body.error.code).toBe('CONFLICT');

    const failures = await server.query<{ details: Record<string, unknown> }>(
      `select details from audit_events where user_id = '${bob.user.id}' and type = 'mfa.failed' order by created_at`,
    );
    expect(failures.map((f) => f.details.reason)).toEqual(['wrong_password', 'wrong_code', 'wrong_code']);
    expect(failures.every((f) => f.details.stage === 'regenerate_recovery_codes')).toBe(true);
  });

  test('replaces every code at once: old ones fail, new ones work, the code is spent, audited and mailed', async ({ server }) => {
    const dave = await mfaUser(server);
    expect(await loginWithRecoveryCode(server, dave.email, dave.codes[0]!)).toBe(200);
    const code = codeAt(dave.secret, dave.enabledAt + 30_000);

    const res = await post(server, REGENERATE, { password: STRONG_PASSWORD, code }, dave.auth);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const fresh: string[] = res.body.recoveryCodes;
    expect(fresh).toHaveLength(10);
    expect(new Set(fresh).size).toBe(10);
    for (const c of fresh) expect(c).toMatch(/^([a-z2-7]{4}-){5}[a-z2-7]{4}$/);
    expect(fresh.some((c) => dave.codes.includes(c))).toBe(false);
    expect(await remaining(server, dave.accessToken)).toBe(10);

    // The same TOTP code is not accepted a second time, here or at login.
    const again = await post(server, REGENERATE, { password: STRONG_PASSWORD, code }, dave.auth);
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('INVALID_MFA_CODE');
    const first = await post(server, '/api/auth/login', { email: dave.email, password: STRONG_PASSWORD });
    expect((await post(server, '/api/auth/login/mfa', { mfaToken: first.body.mfaToken, code })).status).toBe(401);

    expect(await loginWithRecoveryCode(server, dave.email, dave.codes[1]!)).toBe(401);
    expect(await loginWithRecoveryCode(server, dave.email, fresh[0]!)).toBe(200);
    expect(await remaining(server, dave.accessToken)).toBe(9);
    expect(await server.query(`select 1 from recovery_codes where user_id = '${dave.user.id}'`)).toHaveLength(10);

    const events = await server.query<{ type: string; details: Record<string, unknown>; actor_id: string }>(
      `select type, details, actor_id from audit_events where user_id = '${dave.user.id}' and type = 'mfa.recovery_codes_regenerated'`,
    );
    expect(events).toEqual([{ type: 'mfa.recovery_codes_regenerated', details: { count: 10 }, actor_id: dave.user.id }]);
    const allEvents = JSON.stringify(await server.query(`select details from audit_events where user_id = '${dave.user.id}'`));
    for (const secret of [dave.secret, code, ...fresh.slice(0, 3)]) expect(allEvents).not.toContain(secret);

    const mail = (await storedMail(server, dave.email)).filter((m) => m.subject.includes('recovery codes'));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).toMatch(/earlier codes no longer work/);
    for (const c of fresh) expect(mail[0]!.text).not.toContain(c);
  });

  test('wrong codes count against the login limits: the sixth attempt in a row is 429', async ({ server }) => {
    const erin = await mfaUser(server);
    for (let i = 0; i < 5; i++) {
      const res = await post(server, REGENERATE, { password: STRONG_PASSWORD, code: '000000' }, erin.auth);
      expect(res.status).toBe(400);
    }
    const limited = await post(server, REGENERATE, { password: STRONG_PASSWORD, code: codeAt(erin.secret, erin.enabledAt + 30_000) }, erin.auth);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(await remaining(server, erin.accessToken)).toBe(10);
  });

  test('is described in the OpenAPI document as not in the contract', async ({ server }) => {
    const doc = (await request(server.url, 'GET', '/api/openapi.json')).body;
    expect(doc.paths[COUNT].get.description).toMatch(/not in the contract/i);
    expect(doc.paths[REGENERATE].post.description).toMatch(/not in the contract/i);
  });
});
