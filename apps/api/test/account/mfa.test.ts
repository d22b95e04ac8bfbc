import { describe, expect } from 'vitest';
import { decrypt } from '../../src/services/secrets.js';
import { bearer, cookieValue, registerUser, request, STRONG_PASSWORD } from '@portcullis/testing/http';
import type { TestServer } from '@portcullis/testing/server';
import { apiTest, startApi } from '@portcullis/testing/fixtures';
import { codeAt } from '@portcullis/testing/totp';

/** What an authenticator app shows at a moment (computed here with otpauth, not the server's code). */

const totpTest = apiTest();

describe('TOTP MFA', () => {
  totpTest.beforeAll(startApi);

  const post = (server: TestServer, path: string, body?: unknown, headers: Record<string, string> = {}) => request(server.url, 'POST', path, { body, headers });
  const login = (server: TestServer, email: string, password = STRONG_PASSWORD) => post(server, '/api/auth/login', { email, password });
  const mfaToken = async (server: TestServer, email: string) => {
    const res = await login(server, email);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ mfaRequired: true, mfaToken: expect.any(String), methods: ['totp', 'recovery_code'] });
    expect(res.cookies).toEqual([]);
    return res.body.mfaToken as string;
  };

  async function enableMfa(server: TestServer, accessToken: string) {
    const setup = await post(server, '/api/auth/mfa/totp/setup', undefined, bearer(accessToken));
    expect(setup.status).toBe(200);
    const enabledAt = Date.now();
    const enable = await post(server, '/api/auth/mfa/totp/enable', { code: codeAt(setup.body.secret, enabledAt) }, bearer(accessToken));
    expect(enable.status).toBe(200);
    return { secret: setup.body.secret as string, recoveryCodes: enable.body.recoveryCodes as string[], enabledAt };
  }

  totpTest('setup → enable → login needs the code → wrong refused → replay refused → recovery code once → disable', async ({ server }) => {
    const alice = await registerUser(server.url);
    const auth = bearer(alice.accessToken);

    const setup = await post(server, '/api/auth/mfa/totp/setup', undefined, auth);
    expect(setup.status).toBe(200);
    expect(setup.headers.get('cache-control')).toBe('no-store');
    const { secret, otpauthUrl, qrCodeDataUrl } = setup.body;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    expect(new URL(otpauthUrl).searchParams.get('secret')).toBe(secret);
    expect(qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);

    // Encrypted at rest under SECRET_KEY.
    const [row] = await server.query<{ secret_encrypted: string; enabled_at: string | null }>(
      `select secret_encrypted, enabled_at from totp_credentials where user_id = '${alice.user.id}'`,
    );
    expect(row!.secret_encrypted).not.toContain(secret);
    expect(decrypt(server.ctx.keys.encryption, row!.secret_encrypted)).toBe(secret);
    expect(row!.enabled_at).toBeNull();

    // Not in force until confirmed: login still signs in directly.
    expect((await login(server, alice.email)).body.accessToken).toBeTypeOf('string');

    const wrong = await post(server, '/api/auth/mfa/totp/enable', { code: codeAt(secret, Date.now() + 10 * 60_000) }, auth);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('INVALID_MFA_CODE');

    const now = Date.now();
    const enable = await post(server, '/api/auth/mfa/totp/enable', { code: codeAt(secret, now) }, auth);
    expect(enable.status).toBe(200);
    const codes: string[] = enable.body.recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    // 24 symbols of a 32-letter alphabet: 120 random bits each (ASVS 2.6.2 wants at least 112).
    for (const code of codes) expect(code).toMatch(/^([a-z2-7]{4}-){5}[a-z2-7]{4}$/);
    const hashes = await server.query<{ code_hash: string }>(`select code_hash from recovery_codes where user_id = '${alice.user.id}'`);
    expect(hashes).toHaveLength(10);
    expect(hashes.map((h) => h.code_hash)).not.toContain(codes[0]);
    expect((await request(server.url, 'GET', '/api/auth/me', { headers: auth })).body.user.mfaEnabled).toBe(true);
    // Setting up again while enabled would swap the factor without proof: refused.
    expect((await post(server, '/api/auth/mfa/totp/setup', undefined, auth)).status).toBe(409);

    // The code that enabled MFA is spent: replaying it at login is refused.
    let token = await mfaToken(server, alice.email);
    const replayEnable = await post(server, '/api/auth/login/mfa', { mfaToken: token, code: codeAt(secret, now) });
    expect(replayEnable.status).toBe(401);
    expect(replayEnable.body.error.code).toBe('INVALID_MFA_CODE');
    const badCode = await post(server, '/api/auth/login/mfa', { mfaToken: token, code: codeAt(secret, now + 5 * 60_000) });
    expect(badCode.status).toBe(401);
    expect(badCode.body.error.code).toBe('INVALID_MFA_CODE');

    // The next step's code (one step of drift) signs in, like a login.
    const next = codeAt(secret, now + 30_000);
    const signedIn = await post(server, '/api/auth/login/mfa', { mfaToken: token, code: next });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user.mfaEnabled).toBe(true);
    expect(cookieValue(signedIn.cookies, 'refresh_token')).toBeTruthy();
    expect((await request(server.url, 'GET', '/api/auth/me', { headers: bearer(signedIn.body.accessToken) })).status).toBe(200);

    // The mfaToken is used up, and the code is not accepted a second time.
    const reusedToken = await post(server, '/api/auth/login/mfa', { mfaToken: token, code: next });
    expect(reusedToken.status).toBe(401);
    expect(reusedToken.body.error.code).toBe('INVALID_TOKEN');
    token = await mfaToken(server, alice.email);
    const replay = await post(server, '/api/auth/login/mfa', { mfaToken: token, code: next });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('INVALID_MFA_CODE');

    // A recovery code works once; case, spaces and dashes do not matter.
    const recovered = await post(server, '/api/auth/login/mfa', { mfaToken: token, recoveryCode: codes[0] }, { 'x-token-transport': 'body' });
    expect(recovered.status).toBe(200);
    expect(recovered.body.refreshToken).toBeTypeOf('string');
    token = await mfaToken(server, alice.email);
    const again = await post(server, '/api/auth/login/mfa', { mfaToken: token, recoveryCode: codes[0] });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('INVALID_MFA_CODE');
    const spaced = ` ${codes[1]!.toUpperCase().replaceAll('-', ' ')} `;
    expect((await post(server, '/api/auth/login/mfa', { mfaToken: token, recoveryCode: spaced })).status).toBe(200);

    // Disable needs the password and a code.
    const noPassword = await post(server, '/api/auth/mfa/totp/disable', { password: 'Wrong-Password-1', code: codes[2] }, auth);
    expect(noPassword.status).toBe(401);
    expect(noPassword.body.error.code).toBe('INVALID_CREDENTIALS');
    const noCode = await post(server, '/api/auth/mfa/totp/disable', { password: STRONG_PASSWORD, code: '000000' }, auth);
    expect(noCode.status).toBe(400);
    expect(noCode.body.error.code).toBe('INVALID_MFA_CODE');
    expect((await post(server, '/api/auth/mfa/totp/disable', { password: STRONG_PASSWORD, code: codes[2] }, auth)).status).toBe(204);

    expect((await request(server.url, 'GET', '/api/auth/me', { headers: auth })).body.user.mfaEnabled).toBe(false);
    expect((await login(server, alice.email)).body.accessToken).toBeTypeOf('string');
    expect(
      await server.query(
        `select 1 from totp_credentials where user_id = '${alice.user.id}' union all select 1 from recovery_codes where user_id = '${alice.user.id}'`,
      ),
    ).toEqual([]);

    const events = await server.query<{ type: string; details: Record<string, unknown> }>(
      `select type, details from audit_events where user_id = '${alice.user.id}' order by created_at`,
    );
    const types = events.map((e) => e.type);
    for (const t of ['mfa.setup_started', 'mfa.enabled', 'mfa.failed', 'mfa.recovery_code_used', 'mfa.disabled']) expect(types).toContain(t);
    expect(events.filter((e) => e.type === 'login.succeeded').map((e) => e.details.method)).toEqual(
      expect.arrayContaining(['password', 'password+totp', 'password+recovery_code']),
    );
    const serialized = JSON.stringify(events);
    expect(serialized).not.toContain(secret);
    expect(serialized).not.toContain(codes[0]);
  });

  totpTest('an mfaToken allows 5 wrong codes, then answers 429 even for a right one; parallel guesses cannot exceed 5', async ({ server }) => {
    const bob = await registerUser(server.url);
    const { recoveryCodes } = await enableMfa(server, bob.accessToken);

    const token = await mfaToken(server, bob.email);
    for (let i = 0; i < 5; i++) {
      const res = await post(server, '/api/auth/login/mfa', { mfaToken: token, code: '000000' });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('INVALID_MFA_CODE');
    }
    const locked = await post(server, '/api/auth/login/mfa', { mfaToken: token, recoveryCode: recoveryCodes[0] });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The refused attempt did not spend the recovery code.
    expect((await post(server, '/api/auth/login/mfa', { mfaToken: await mfaToken(server, bob.email), recoveryCode: recoveryCodes[0] })).status).toBe(200);

    const parallelToken = await mfaToken(server, bob.email);
    const results = await Promise.all(Array.from({ length: 12 }, () => post(server, '/api/auth/login/mfa', { mfaToken: parallelToken, code: '111111' })));
    expect(results.filter((r) => r.status === 401)).toHaveLength(5);
    expect(results.filter((r) => r.status === 429)).toHaveLength(7);
  });

  totpTest('an mfaToken expires after 5 minutes, and garbage tokens are refused', async ({ server }) => {
    const carol = await registerUser(server.url);
    const { recoveryCodes } = await enableMfa(server, carol.accessToken);
    const token = await mfaToken(server, carol.email);
    const [challenge] = await server.query<{ lifetime: number }>(
      `select extract(epoch from expires_at - created_at)::int as lifetime from mfa_challenges where user_id = '${carol.user.id}'`,
    );
    expect(challenge!.lifetime).toBeGreaterThanOrEqual(299);
    expect(challenge!.lifetime).toBeLessThanOrEqual(300);
    await server.query(`update mfa_challenges set expires_at = now() - interval '1 second' where user_id = '${carol.user.id}'`);
    const expired = await post(server, '/api/auth/login/mfa', { mfaToken: token, recoveryCode: recoveryCodes[0] });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('INVALID_TOKEN');

    for (const body of [
      { mfaToken: 'nope', code: '123456' },
      { mfaToken: 'A'.repeat(43), code: '123456' },
    ]) {
      const res = await post(server, '/api/auth/login/mfa', body);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('INVALID_TOKEN');
    }
    for (const body of [{ mfaToken: token }, { mfaToken: token, code: '123456', recoveryCode: 'x' }, { mfaToken: token, code: '12ab56' }]) {
      expect((await post(server, '/api/auth/login/mfa', body)).status).toBe(400);
    }
  });

  totpTest('a used code presented again on a new sign-in is refused, audited as replayed, and the holder is told by mail', async ({ server }) => {
    const frank = await registerUser(server.url);
    const { secret, enabledAt } = await enableMfa(server, frank.accessToken);
    const code = codeAt(secret, enabledAt + 30_000);
    const replayMails = async () =>
      (
        await server.query<{ n: number }>(
          `select count(*)::int as n from mail_messages where "to" = '${frank.email}' and subject = 'A used sign-in code was tried on your account'`,
        )
      )[0]!.n;

    const token = await mfaToken(server, frank.email);
    expect((await post(server, '/api/auth/login/mfa', { mfaToken: token, code })).status).toBe(200);
    // The same request again (a double submit): its mfaToken is spent; no alarm.
    expect((await post(server, '/api/auth/login/mfa', { mfaToken: token, code })).status).toBe(401);
    // A wrong code on a new sign-in: refused, no alarm either.
    const second = await mfaToken(server, frank.email);
    expect((await post(server, '/api/auth/login/mfa', { mfaToken: second, code: '000000' })).status).toBe(401);
    expect(await replayMails()).toBe(0);

    // The used code on the new sign-in: someone else saw it.
    const replayed = await post(server, '/api/auth/login/mfa', { mfaToken: second, code });
    expect(replayed.status).toBe(401);
    expect(replayed.body.error.code).toBe('INVALID_MFA_CODE');
    expect(await replayMails()).toBe(1);
    const events = await server.query<{ details: Record<string, unknown> }>(
      `select details from audit_events where type = 'mfa.failed' and user_id = '${frank.user.id}' order by created_at`,
    );
    expect(events.map((e) => e.details.reason ?? null)).toEqual([null, 'replayed']);
  });

  totpTest('disable with a TOTP code; the same code is not accepted twice', async ({ server }) => {
    const dave = await registerUser(server.url);
    const { secret, enabledAt } = await enableMfa(server, dave.accessToken);
    const code = codeAt(secret, enabledAt + 30_000);
    const disabled = await post(server, '/api/auth/mfa/totp/disable', { password: STRONG_PASSWORD, code }, bearer(dave.accessToken));
    expect(disabled.status).toBe(204);
    const notOn = await post(server, '/api/auth/mfa/totp/disable', { password: STRONG_PASSWORD, code }, bearer(dave.accessToken));
    expect(notOn.status).toBe(409);
  });

  totpTest('disable: wrong codes count against the login limits, so a stolen token and password cannot guess the code', async ({ server }) => {
    const erin = await registerUser(server.url);
    const { secret, enabledAt } = await enableMfa(server, erin.accessToken);
    for (let i = 0; i < 5; i++) {
      const wrong = await post(server, '/api/auth/mfa/totp/disable', { password: STRONG_PASSWORD, code: '000000' }, bearer(erin.accessToken));
      expect(wrong.status).toBe(400);
    }
    const limited = await post(
      server,
      '/api/auth/mfa/totp/disable',
      { password: STRONG_PASSWORD, code: codeAt(secret, enabledAt + 30_000) },
      bearer(erin.accessToken),
    );
    expect(limited.status).toBe(429);
    expect((await request(server.url, 'GET', '/api/auth/me', { headers: bearer(erin.accessToken) })).body.user.mfaEnabled).toBe(true);
  });
});

// A small overall budget per account, so the test reaches it quickly.
const budgetTest = apiTest({ RATE_LIMIT_LOGIN_PER_ACCOUNT: '6/1h' });

describe('MFA codes at login, across many mfaTokens', () => {
  budgetTest.beforeAll(startApi);

  const post = (server: TestServer, path: string, body?: unknown, headers: Record<string, string> = {}) => request(server.url, 'POST', path, { body, headers });
  const mfaToken = async (server: TestServer, email: string) => {
    const res = await post(server, '/api/auth/login', { email, password: STRONG_PASSWORD });
    expect(res.body.mfaToken).toEqual(expect.any(String));
    return res.body.mfaToken as string;
  };
  async function mfaUser(server: TestServer) {
    const person = await registerUser(server.url);
    const setup = await post(server, '/api/auth/mfa/totp/setup', undefined, bearer(person.accessToken));
    const enabledAt = Date.now();
    const enable = await post(server, '/api/auth/mfa/totp/enable', { code: codeAt(setup.body.secret, enabledAt) }, bearer(person.accessToken));
    return { ...person, secret: setup.body.secret as string, enabledAt, recoveryCodes: enable.body.recoveryCodes as string[] };
  }

  budgetTest('wrong codes spend the account’s login budget: new mfaTokens do not buy new guesses', async ({ server }) => {
    const victim = await mfaUser(server);
    // Whoever knows the password: three wrong codes on each of two mfaTokens spend the budget of six.
    for (let token = 0; token < 2; token++) {
      const mfa = await mfaToken(server, victim.email);
      for (let i = 0; i < 3; i++) expect((await post(server, '/api/auth/login/mfa', { mfaToken: mfa, code: '000000' })).status).toBe(401);
    }
    expect((await post(server, '/api/auth/login', { email: victim.email, password: STRONG_PASSWORD })).status).toBe(429);
    const [failures] = await server.query<{ n: number }>(
      `select count(*)::int as n from audit_events where type = 'mfa.failed' and user_id = '${victim.user.id}'`,
    );
    expect(failures!.n).toBe(6);
  });

  budgetTest('a right code gives its attempt back, so people who sign in with MFA every time are never locked out', async ({ server }) => {
    const person = await mfaUser(server);
    for (let round = 0; round < 8; round++) {
      const signedIn = await post(server, '/api/auth/login/mfa', { mfaToken: await mfaToken(server, person.email), recoveryCode: person.recoveryCodes[round] });
      expect(signedIn.status).toBe(200);
    }
  });

  budgetTest('once the budget is spent even the right code waits (429), so no guess is checked', async ({ server }) => {
    const victim = await mfaUser(server);
    const mfa = await mfaToken(server, victim.email);
    const other = await mfaToken(server, victim.email);
    for (let i = 0; i < 4; i++) expect((await post(server, '/api/auth/login/mfa', { mfaToken: mfa, code: '000000' })).status).toBe(401);
    expect((await post(server, '/api/auth/login/mfa', { mfaToken: other, code: '000000' })).status).toBe(401);
    expect((await post(server, '/api/auth/login/mfa', { mfaToken: other, code: '000000' })).status).toBe(401);
    const right = await post(server, '/api/auth/login/mfa', { mfaToken: other, code: codeAt(victim.secret, victim.enabledAt + 30_000) });
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('RATE_LIMITED');
  });
});
