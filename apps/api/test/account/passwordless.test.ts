import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, registerUser, request, STRONG_PASSWORD } from '@portcullis/testing/http';
import { startServer, type TestServer } from '@portcullis/testing/server';
import { codeAt } from '@portcullis/testing/totp';

/** What an authenticator app shows at a moment (computed here with otpauth, not the server's code). */

const DISABLE = '/api/auth/mfa/totp/disable';
const REGENERATE = '/api/auth/mfa/recovery-codes/regenerate';

/**
 * Turning MFA off and new recovery codes for an account without a password (OAuth sign-in only):
 * the same re-authentication rule as deleting the account, a sign-in of the last 10 minutes.
 */
function helpers(server: () => TestServer) {
  const post = (path: string, body?: unknown, headers: Record<string, string> = {}) => request(server().url, 'POST', path, { body, headers });
  const mfaEnabled = async (accessToken: string) =>
    (await request(server().url, 'GET', '/api/auth/me', { headers: bearer(accessToken) })).body.user.mfaEnabled as boolean;

  /** Registers, turns MFA on, then (optionally) drops the password, as for an account made by an OAuth sign-in. */
  async function mfaUser({ passwordless = true } = {}) {
    const person = await registerUser(server().url);
    const auth = bearer(person.accessToken);
    const setup = await post('/api/auth/mfa/totp/setup', undefined, auth);
    const enabledAt = Date.now();
    const enable = await post('/api/auth/mfa/totp/enable', { code: codeAt(setup.body.secret, enabledAt) }, auth);
    expect(enable.status).toBe(200);
    if (passwordless) await server().query(`update users set password_hash = null where id = '${person.user.id}'`);
    // A code the app shows later than the one that turned MFA on (which is spent).
    const nextCode = codeAt(setup.body.secret, enabledAt + 30_000);
    return { ...person, auth, secret: setup.body.secret as string, codes: enable.body.recoveryCodes as string[], enabledAt, nextCode };
  }
  const signedInMinutesAgo = (userId: string, minutes: number) =>
    server().query(`update sessions set created_at = now() - interval '${minutes} minutes' where user_id = '${userId}'`);

  return { post, mfaEnabled, mfaUser, signedInMinutesAgo };
}

describe('passwordless accounts: MFA changes need a fresh sign-in instead (not in the contract)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());
  const { post, mfaEnabled, mfaUser, signedInMinutesAgo } = helpers(() => server);

  it('disable: no password needed within 10 minutes of signing in; audited and mailed', async () => {
    const ann = await mfaUser();
    const res = await post(DISABLE, { code: ann.nextCode }, ann.auth);
    expect(res.status).toBe(204);
    expect(await mfaEnabled(ann.accessToken)).toBe(false);
    expect(await server.query(`select 1 from audit_events where user_id = '${ann.user.id}' and type = 'mfa.disabled'`)).toHaveLength(1);
    expect(await server.query(`select 1 from mail_messages where "to" = '${ann.email}' and subject like '%turned off%'`)).toHaveLength(1);
  });

  it('disable with a recovery code (a lost phone), a password sent anyway is ignored', async () => {
    const ben = await mfaUser();
    expect((await post(DISABLE, { password: 'anything', code: ben.codes[0] }, ben.auth)).status).toBe(204);
    expect(await mfaEnabled(ben.accessToken)).toBe(false);
  });

  it('regenerate: no password needed within 10 minutes of signing in', async () => {
    const cat = await mfaUser();
    const res = await post(REGENERATE, { code: cat.nextCode }, cat.auth);
    expect(res.status).toBe(200);
    expect(res.body.recoveryCodes).toHaveLength(10);
    expect(res.body.recoveryCodes.some((c: string) => cat.codes.includes(c))).toBe(false);
  });

  it('a sign-in older than 10 minutes is refused with the session field; a refresh does not count; nothing is spent', async () => {
    const dan = await mfaUser();
    await signedInMinutesAgo(dan.user.id, 11);
    for (const path of [DISABLE, REGENERATE]) {
      const stale = await post(path, { code: dan.nextCode }, dan.auth);
      expect(stale.status, path).toBe(401);
      expect(stale.body.error.code).toBe('INVALID_CREDENTIALS');
      expect(stale.body.error.details).toEqual([{ field: 'session', message: expect.stringMatching(/sign in again.*10 minutes/i) }]);
    }
    const refreshed = await post('/api/auth/refresh', undefined, { cookie: `refresh_token=${dan.refreshToken}` });
    expect(refreshed.status).toBe(200);
    expect((await post(DISABLE, { code: dan.nextCode }, bearer(refreshed.body.accessToken))).status).toBe(401);
    expect(await mfaEnabled(dan.accessToken)).toBe(true);
    expect(await server.query(`select 1 from audit_events where user_id = '${dan.user.id}' and type = 'mfa.failed'`)).toHaveLength(0);

    // Signed in again (here: the session made new, as an OAuth callback would): the same code was not spent.
    await signedInMinutesAgo(dan.user.id, 0);
    expect((await post(REGENERATE, { code: dan.nextCode }, bearer(refreshed.body.accessToken))).status).toBe(200);
  });

  it('a wrong code is refused and audited as for any account', async () => {
    const eve = await mfaUser();
    const wrong = await post(DISABLE, { code: '000000' }, eve.auth);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('INVALID_MFA_CODE');
    expect((await post(REGENERATE, { code: '000000' }, eve.auth)).body.error.code).toBe('INVALID_MFA_CODE');
    const failures = await server.query<{ details: Record<string, unknown> }>(
      `select details from audit_events where user_id = '${eve.user.id}' and type = 'mfa.failed' order by created_at`,
    );
    expect(failures.map((f) => f.details)).toEqual([
      { stage: 'disable', reason: 'wrong_code' },
      { stage: 'regenerate_recovery_codes', reason: 'wrong_code' },
    ]);
    expect(await mfaEnabled(eve.accessToken)).toBe(true);
  });

  it('an account with a password still needs it: missing is 400 (field password), a fresh sign-in is not enough', async () => {
    const fay = await mfaUser({ passwordless: false });
    for (const path of [DISABLE, REGENERATE]) {
      const missing = await post(path, { code: fay.nextCode }, fay.auth);
      expect(missing.status, path).toBe(400);
      expect(missing.body.error.code).toBe('VALIDATION_FAILED');
      expect(missing.body.error.details).toEqual([{ field: 'password', message: expect.any(String) }]);
      const wrong = await post(path, { password: 'Wrong-Horse-1', code: fay.nextCode }, fay.auth);
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.details).toEqual([{ field: 'password', message: expect.any(String) }]);
    }
    expect((await post(DISABLE, { password: STRONG_PASSWORD, code: fay.nextCode }, fay.auth)).status).toBe(204);
  });

  it('is described in the OpenAPI document, the passwordless rule as not in the contract', async () => {
    const doc = (await request(server.url, 'GET', '/api/openapi.json')).body;
    expect(doc.paths[DISABLE].post.description).toMatch(/not in the contract[^]*without a password[^]*10 minutes/i);
    expect(doc.paths[REGENERATE].post.description).toMatch(/without a password[^]*10 minutes/i);
  });
});

describe('passwordless accounts: wrong codes count against the account’s login budget', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Without a password only the overall budget per account applies (100 an hour by default, as
    // for codes at login): made small here so that the sixth try is the first one over it.
    server = await startServer({ RATE_LIMIT_LOGIN_PER_ACCOUNT: '5/1h' });
  });
  afterAll(() => server.close());
  const { post, mfaEnabled, mfaUser } = helpers(() => server);

  for (const path of [DISABLE, REGENERATE]) {
    it(`${path}: five wrong codes, then the sixth try (even a right code) is 429`, async () => {
      const gus = await mfaUser();
      for (let i = 0; i < 5; i++) expect((await post(path, { code: '000000' }, gus.auth)).status).toBe(400);
      const limited = await post(path, { code: gus.nextCode }, gus.auth);
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe('RATE_LIMITED');
      expect(await mfaEnabled(gus.accessToken)).toBe(true);
    });
  }

  it('a right code gives its attempt back', async () => {
    const hal = await mfaUser();
    for (let i = 0; i < 4; i++) expect((await post(REGENERATE, { code: '000000' }, hal.auth)).status).toBe(400);
    expect((await post(REGENERATE, { code: hal.nextCode }, hal.auth)).status).toBe(200);
    expect((await post(DISABLE, { code: '000000' }, hal.auth)).status).toBe(400);
    expect((await post(DISABLE, { code: '000000' }, hal.auth)).status).toBe(429);
  });
});
