import { describe, expect } from 'vitest';
import { apiTest, startApi } from '@portcullis/testing/fixtures';
import { bearer, cookieValue, registerUser, request, STRONG_PASSWORD } from '@portcullis/testing/http';
import { storedMail } from '@portcullis/testing/mail';
import type { TestServer } from '@portcullis/testing/server';
import { codeAt } from '@portcullis/testing/totp';
import { softAuthenticator, type CeremonyOverrides, type SoftAuthenticator } from '@portcullis/testing/webauthn';

/**
 * Passkeys through the real API (not in the contract), with a software authenticator that can get
 * each detail wrong on purpose. Every refusal here would pass without its check: a replayed or
 * foreign challenge, a wrong origin or RP id, a counter going backwards, no user verification for a
 * first factor, another user's credential as a second factor, removing the last way to sign in.
 */

// WEB_URL is the test server's default, http://localhost:3000: RP id `localhost`.
const ORIGIN = 'http://localhost:3000';
const RP_ID = 'localhost';
const test = apiTest({ ADMIN_REQUIRE_MFA: 'true', RATE_LIMIT_LOGIN_PER_ACCOUNT_IP: '1000/15m', RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000/1h' });

const post = (server: TestServer, path: string, body: unknown, headers: Record<string, string> = {}) => request(server.url, 'POST', path, { body, headers });

type Person = Awaited<ReturnType<typeof registerUser>>;

/** Registers a person and adds a passkey made by `device` (a new one by default). */
async function withPasskey(server: TestServer, device: SoftAuthenticator = softAuthenticator({ origin: ORIGIN, rpId: RP_ID })) {
  const person = await registerUser(server.url);
  const options = await post(server, '/api/auth/passkeys/registration/options', { password: STRONG_PASSWORD }, bearer(person.accessToken));
  expect(options.status, JSON.stringify(options.body)).toBe(200);
  const added = await post(server, '/api/auth/passkeys', { response: device.register(options.body.options), name: 'Laptop' }, bearer(person.accessToken));
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  return { ...person, device, passkeyId: added.body.passkey.id as string };
}

async function signInOptions(server: TestServer) {
  const res = await post(server, '/api/auth/passkeys/sign-in/options', {});
  expect(res.status).toBe(200);
  return res.body as { options: Record<string, unknown>; attemptId: string };
}

async function passkeySignIn(server: TestServer, device: SoftAuthenticator, overrides: CeremonyOverrides = {}) {
  const { options, attemptId } = await signInOptions(server);
  return post(server, '/api/auth/passkeys/sign-in', { attemptId, response: device.authenticate(options, overrides) });
}

async function amrOf(server: TestServer, cookies: string[]) {
  const session = await request(server.url, 'GET', '/api/auth/session', {
    headers: { cookie: `portcullis_session=${cookieValue(cookies, 'portcullis_session')}` },
  });
  return session.body.session.amr as string[];
}

describe('passkeys (not in the contract)', () => {
  test.beforeAll(startApi);

  test('add after re-authentication, list, sign in with only the passkey: amr hwk + mfa, admin gate passed; audited and mailed', async ({ server }) => {
    const ada = await withPasskey(server);
    const list = await request(server.url, 'GET', '/api/auth/passkeys', { headers: bearer(ada.accessToken) });
    expect(list.body.passkeys).toEqual([{ id: ada.passkeyId, name: 'Laptop', createdAt: expect.any(String), lastUsedAt: null, synced: false }]);
    expect((await storedMail(server, ada.email)).map((m) => m.subject)).toContain('A new passkey was added to your account');
    expect(await server.query(`select 1 from audit_events where user_id = '${ada.user.id}' and type = 'passkey.added'`)).toHaveLength(1);

    const signedIn = await passkeySignIn(server, ada.device);
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    expect(signedIn.body.user.id).toBe(ada.user.id);
    expect(await amrOf(server, signedIn.cookies)).toEqual(['hwk', 'mfa']);
    // ADMIN_REQUIRE_MFA accepts a passkey sign-in with user verification.
    await server.query(`update users set role = 'admin' where id = '${ada.user.id}'`);
    const again = await passkeySignIn(server, ada.device);
    expect((await request(server.url, 'GET', '/api/admin/users', { headers: bearer(again.body.accessToken) })).status).toBe(200);
    const [used] = await server.query<{ last_used_at: Date | null; counter: string }>(
      `select last_used_at, counter from passkeys where id = '${ada.passkeyId}'`,
    );
    expect(used!.last_used_at).not.toBeNull();
    expect(Number(used!.counter)).toBe(2);
  });

  test('a synced passkey signs in as swk, and its backup flag is stored', async ({ server }) => {
    const ben = await withPasskey(server, softAuthenticator({ origin: ORIGIN, rpId: RP_ID, backedUp: true }));
    const res = await passkeySignIn(server, ben.device);
    expect(res.status).toBe(200);
    expect(await amrOf(server, res.cookies)).toEqual(['swk', 'mfa']);
    expect((await request(server.url, 'GET', '/api/auth/passkeys', { headers: bearer(ben.accessToken) })).body.passkeys[0].synced).toBe(true);
  });

  test('adding one needs the password (or a fresh sign-in without one), and a code with MFA on', async ({ server }) => {
    const cy = await registerUser(server.url);
    const noPassword = await post(server, '/api/auth/passkeys/registration/options', {}, bearer(cy.accessToken));
    expect(noPassword.status).toBe(400);
    expect(noPassword.body.error.details).toEqual([{ field: 'password', message: expect.any(String) }]);
    const wrong = await post(server, '/api/auth/passkeys/registration/options', { password: 'Wrong-Password-1' }, bearer(cy.accessToken));
    expect(wrong.status).toBe(401);

    const setup = await post(server, '/api/auth/mfa/totp/setup', {}, bearer(cy.accessToken));
    const at = Date.now();
    expect((await post(server, '/api/auth/mfa/totp/enable', { code: codeAt(setup.body.secret, at) }, bearer(cy.accessToken))).status).toBe(200);
    const noCode = await post(server, '/api/auth/passkeys/registration/options', { password: STRONG_PASSWORD }, bearer(cy.accessToken));
    expect(noCode.body.error.details).toEqual([{ field: 'code', message: expect.any(String) }]);
    const withCode = await post(
      server,
      '/api/auth/passkeys/registration/options',
      { password: STRONG_PASSWORD, code: codeAt(setup.body.secret, at + 30_000) },
      bearer(cy.accessToken),
    );
    expect(withCode.status).toBe(200);

    // Without a password: a sign-in of the last 10 minutes, and no older.
    await server.query(`update users set password_hash = null, role = 'user' where id = '${cy.user.id}'`);
    await server.query(`delete from totp_credentials where user_id = '${cy.user.id}'`);
    expect((await post(server, '/api/auth/passkeys/registration/options', {}, bearer(cy.accessToken))).status).toBe(200);
    await server.query(`update sessions set created_at = now() - interval '11 minutes' where user_id = '${cy.user.id}'`);
    const stale = await post(server, '/api/auth/passkeys/registration/options', {}, bearer(cy.accessToken));
    expect(stale.status).toBe(401);
    expect(stale.body.error.details[0].field).toBe('session');
  });

  test('registration: a replayed challenge, another session’s challenge, wrong origin, wrong RP id and no user verification are refused', async ({
    server,
  }) => {
    const dee = await registerUser(server.url);
    const device = softAuthenticator({ origin: ORIGIN, rpId: RP_ID });
    const auth = bearer(dee.accessToken);
    const options = async (token = dee.accessToken) =>
      (await post(server, '/api/auth/passkeys/registration/options', { password: STRONG_PASSWORD }, bearer(token))).body.options;

    const first = device.register(await options());
    expect((await post(server, '/api/auth/passkeys', { response: first }, auth)).status).toBe(201);
    const replay = await post(server, '/api/auth/passkeys', { response: first }, auth);
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe('INVALID_TOKEN');

    // The same person's other session asked for this challenge.
    const other = await post(server, '/api/auth/login', { email: dee.email, password: STRONG_PASSWORD });
    const foreign = device.register(await options(other.body.accessToken));
    expect((await post(server, '/api/auth/passkeys', { response: foreign }, auth)).body.error.code).toBe('INVALID_TOKEN');

    for (const [what, overrides] of [
      ['origin', { origin: 'https://evil.example' }],
      ['rp id', { rpId: 'evil.example' }],
      ['user verification', { uv: false }],
    ] as const) {
      const res = await post(server, '/api/auth/passkeys', { response: device.register(await options(), overrides) }, auth);
      expect(res.status, what).toBe(400);
      expect(res.body.error.details, what).toEqual([{ field: 'response', message: expect.any(String) }]);
    }
    expect(await server.query(`select 1 from passkeys where user_id = '${dee.user.id}'`)).toHaveLength(1);
  });

  test('sign-in: replayed challenge, another attempt’s challenge, wrong origin, wrong RP id, no user verification: all 401', async ({ server }) => {
    const eve = await withPasskey(server);
    const { options, attemptId } = await signInOptions(server);
    const assertion = eve.device.authenticate(options);
    expect((await post(server, '/api/auth/passkeys/sign-in', { attemptId, response: assertion })).status).toBe(200);
    const replay = await post(server, '/api/auth/passkeys/sign-in', { attemptId, response: assertion });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('INVALID_CREDENTIALS');

    // An assertion over one attempt's challenge, sent with another attempt.
    const mine = await signInOptions(server);
    const theirs = await signInOptions(server);
    expect((await post(server, '/api/auth/passkeys/sign-in', { attemptId: theirs.attemptId, response: eve.device.authenticate(mine.options) })).status).toBe(
      401,
    );

    for (const overrides of [{ origin: 'https://evil.example' }, { rpId: 'evil.example' }, { uv: false }]) {
      const res = await passkeySignIn(server, eve.device, overrides);
      expect(res.status, JSON.stringify(overrides)).toBe(401);
      expect(res.body.error.code).toBe('INVALID_CREDENTIALS');
    }
    expect((await passkeySignIn(server, eve.device)).status).toBe(200);
  });

  test('a counter going backwards (a cloned authenticator) is refused, audited and mailed', async ({ server }) => {
    const fay = await withPasskey(server);
    expect((await passkeySignIn(server, fay.device, { counter: 10 })).status).toBe(200);
    const cloned = await passkeySignIn(server, fay.device, { counter: 5 });
    expect(cloned.status).toBe(401);
    const same = await passkeySignIn(server, fay.device, { counter: 10 });
    expect(same.status).toBe(401);
    expect(await server.query(`select 1 from audit_events where user_id = '${fay.user.id}' and type = 'passkey.failed'`)).toHaveLength(2);
    expect((await storedMail(server, fay.email)).some((m) => /refused/.test(m.subject))).toBe(true);
    expect((await passkeySignIn(server, fay.device, { counter: 11 })).status).toBe(200);
  });

  test('second factor: a passkey instead of the TOTP code (amr pwd + hwk + mfa); another user’s passkey is refused', async ({ server }) => {
    const gus = await withPasskey(server);
    const setup = await post(server, '/api/auth/mfa/totp/setup', {}, bearer(gus.accessToken));
    expect((await post(server, '/api/auth/mfa/totp/enable', { code: codeAt(setup.body.secret, Date.now()) }, bearer(gus.accessToken))).status).toBe(200);
    const hal = await withPasskey(server);

    const login = await post(server, '/api/auth/login', { email: gus.email, password: STRONG_PASSWORD });
    expect(login.body).toMatchObject({ mfaRequired: true, passkey: true });
    const { mfaToken } = login.body;
    const options = await post(server, '/api/auth/login/mfa/passkey/options', { mfaToken });
    expect(options.status).toBe(200);
    // Hal's own credential, over Gus's challenge: not one of Gus's passkeys.
    const foreign = await post(server, '/api/auth/login/mfa/passkey', {
      mfaToken,
      response: hal.device.authenticate(options.body.options, { credentialId: hal.device.credentialIds()[0] }),
    });
    expect(foreign.status).toBe(401);
    expect(foreign.body.error.code).toBe('INVALID_MFA_CODE');

    const again = await post(server, '/api/auth/login/mfa/passkey/options', { mfaToken });
    const done = await post(server, '/api/auth/login/mfa/passkey', { mfaToken, response: gus.device.authenticate(again.body.options) });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(await amrOf(server, done.cookies)).toEqual(['pwd', 'hwk', 'mfa']);
    // The mfaToken is spent.
    expect((await post(server, '/api/auth/login/mfa/passkey/options', { mfaToken })).status).toBe(401);
  });

  test('a first-factor assertion claiming another account’s user handle is refused', async ({ server }) => {
    const ivy = await withPasskey(server);
    const { options, attemptId } = await signInOptions(server);
    const assertion = ivy.device.authenticate(options) as { response: Record<string, unknown> };
    assertion.response.userHandle = Buffer.from('00000000-0000-4000-8000-000000000000').toString('base64url');
    expect((await post(server, '/api/auth/passkeys/sign-in', { attemptId, response: assertion })).status).toBe(401);
  });

  test('rename, and removing: another user’s is 404, the last way to sign in is refused; audited and mailed', async ({ server }) => {
    const jo: Person & { passkeyId: string; device: SoftAuthenticator } = await withPasskey(server);
    const auth = bearer(jo.accessToken);
    const renamed = await request(server.url, 'PATCH', `/api/auth/passkeys/${jo.passkeyId}`, { body: { name: 'Work phone' }, headers: auth });
    expect(renamed.body.passkey.name).toBe('Work phone');
    const kim = await registerUser(server.url);
    expect((await request(server.url, 'DELETE', `/api/auth/passkeys/${jo.passkeyId}`, { headers: bearer(kim.accessToken) })).status).toBe(404);

    // Without a password, the only passkey is the only way in.
    await server.query(`update users set password_hash = null where id = '${jo.user.id}'`);
    const last = await request(server.url, 'DELETE', `/api/auth/passkeys/${jo.passkeyId}`, { headers: auth });
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe('CONFLICT');

    // A second passkey: now the first can go.
    const options = await post(server, '/api/auth/passkeys/registration/options', {}, auth);
    expect((await post(server, '/api/auth/passkeys', { response: jo.device.register(options.body.options) }, auth)).status).toBe(201);
    expect((await request(server.url, 'DELETE', `/api/auth/passkeys/${jo.passkeyId}`, { headers: auth })).status).toBe(204);
    expect(await server.query(`select 1 from audit_events where user_id = '${jo.user.id}' and type = 'passkey.removed'`)).toHaveLength(1);
    expect((await storedMail(server, jo.email)).map((m) => m.subject)).toContain('A passkey was removed from your account');
    // The removed credential no longer signs in.
    expect((await passkeySignIn(server, jo.device, { credentialId: jo.device.credentialIds()[0] })).status).toBe(401);
  });
});
