import { describe, expect } from 'vitest';
import { bearer, registerUser, request, STRONG_PASSWORD } from '@portcullis/testing/http';
import type { TestServer } from '@portcullis/testing/server';
import { codeAt } from '@portcullis/testing/totp';
import { apiTest, startApi } from '@portcullis/testing/fixtures';

const test = apiTest();

/**
 * Turning MFA on re-authenticates (issue 10, item 3): a stolen bearer token of an older session must
 * not enrol the thief's authenticator and take the recovery codes. A sign-in (not a refresh) within
 * 10 minutes, or the password, is needed; enabling is mailed and audited.
 */

const SETUP = '/api/auth/mfa/totp/setup';
const ENABLE = '/api/auth/mfa/totp/enable';

describe('turning MFA on needs a recent sign-in or the password', () => {
  test.beforeAll(startApi);

  const post = (server: TestServer, path: string, body?: unknown, headers: Record<string, string> = {}) => request(server.url, 'POST', path, { body, headers });
  const signedInMinutesAgo = (server: TestServer, userId: string, minutes: number) =>
    server.query(`update sessions set created_at = now() - interval '${minutes} minutes' where user_id = '${userId}'`);
  const mfaEnabled = async (server: TestServer, accessToken: string) =>
    (await request(server.url, 'GET', '/api/auth/me', { headers: bearer(accessToken) })).body.user.mfaEnabled as boolean;
  const recoveryCodeRows = async (server: TestServer, userId: string) =>
    (await server.query(`select 1 from recovery_codes where user_id = '${userId}'`)).length;
  const enabledAudit = (server: TestServer, userId: string) =>
    server.query<{ details: { reauthenticatedBy?: string } }>(`select details from audit_events where user_id = '${userId}' and type = 'mfa.enabled'`);
  const onNotice = (server: TestServer, email: string) =>
    server.query(`select 1 from mail_messages where "to" = '${email}' and subject = 'Two-factor authentication is on'`);

  /** A person whose session was signed in 11 minutes ago and refreshed since: what a thief's stolen token looks like. */
  async function staleSession(server: TestServer) {
    const person = await registerUser(server.url, {}, { 'x-token-transport': 'body' });
    await signedInMinutesAgo(server, person.user.id, 11);
    // A refresh renews the tokens, not the sign-in.
    const refreshed = await post(server, '/api/auth/refresh', { refreshToken: person.refreshToken }, { 'x-token-transport': 'body' });
    expect(refreshed.status).toBe(200);
    const auth = bearer(refreshed.body.accessToken);
    const setup = await post(server, SETUP, undefined, auth);
    expect(setup.status).toBe(200);
    return { ...person, accessToken: refreshed.body.accessToken as string, auth, secret: setup.body.secret as string };
  }

  test('a bearer token of a session signed in over 10 minutes ago, without the password, cannot turn MFA on', async ({ server }) => {
    const thief = await staleSession(server);
    const res = await post(server, ENABLE, { code: codeAt(thief.secret, Date.now()) }, thief.auth);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INVALID_CREDENTIALS');
    expect(res.body.error.details).toEqual([{ field: 'password', message: expect.any(String) }]);
    expect(res.body.error.message).toMatch(/password/i);
    expect(res.body.recoveryCodes).toBeUndefined();
    expect(await mfaEnabled(server, thief.accessToken)).toBe(false);
    expect(await recoveryCodeRows(server, thief.user.id)).toBe(0);
    expect(await enabledAudit(server, thief.user.id)).toHaveLength(0);

    const wrong = await post(server, ENABLE, { code: codeAt(thief.secret, Date.now()), password: 'Not-The-Password-1' }, thief.auth);
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    expect(wrong.body.error.details).toEqual([{ field: 'password', message: 'The password is incorrect.' }]);
    expect(await mfaEnabled(server, thief.accessToken)).toBe(false);
  });

  test('with the password it can: recovery codes, a mail to the holder, and an audit event', async ({ server }) => {
    const owner = await staleSession(server);
    const res = await post(server, ENABLE, { code: codeAt(owner.secret, Date.now()), password: STRONG_PASSWORD }, owner.auth);
    expect(res.status).toBe(200);
    expect(res.body.recoveryCodes).toHaveLength(10);
    expect(await mfaEnabled(server, owner.accessToken)).toBe(true);
    const [event] = await enabledAudit(server, owner.user.id);
    expect(event!.details.reauthenticatedBy).toBe('password');
    expect(await onNotice(server, owner.email)).toHaveLength(1);
  });

  test('a fresh sign-in can, without the password', async ({ server }) => {
    const person = await staleSession(server);
    const login = await post(server, '/api/auth/login', { email: person.email, password: STRONG_PASSWORD });
    expect(login.status).toBe(200);
    const auth = bearer(login.body.accessToken);
    // The pending secret belongs to the account, whichever session set it up.
    const res = await post(server, ENABLE, { code: codeAt(person.secret, Date.now()) }, auth);
    expect(res.status).toBe(200);
    expect(res.body.recoveryCodes).toHaveLength(10);
    const [event] = await enabledAudit(server, person.user.id);
    expect(event!.details.reauthenticatedBy).toBe('recent_sign_in');
    expect(await onNotice(server, person.email)).toHaveLength(1);
  });

  test('a password that is sent is checked even on a fresh session', async ({ server }) => {
    const person = await registerUser(server.url);
    const auth = bearer(person.accessToken);
    const setup = await post(server, SETUP, undefined, auth);
    const res = await post(server, ENABLE, { code: codeAt(setup.body.secret, Date.now()), password: 'Not-The-Password-1' }, auth);
    expect(res.status).toBe(401);
    expect(await mfaEnabled(server, person.accessToken)).toBe(false);
  });

  test('an account without a password is told to sign in again', async ({ server }) => {
    const person = await registerUser(server.url);
    await server.query(`update users set password_hash = null where id = '${person.user.id}'`);
    const auth = bearer(person.accessToken);
    const setup = await post(server, SETUP, undefined, auth);
    await signedInMinutesAgo(server, person.user.id, 11);
    const res = await post(server, ENABLE, { code: codeAt(setup.body.secret, Date.now()), password: STRONG_PASSWORD }, auth);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INVALID_CREDENTIALS');
    expect(res.body.error.details).toEqual([{ field: 'session', message: expect.stringMatching(/sign in again/) }]);

    await signedInMinutesAgo(server, person.user.id, 0);
    expect((await post(server, ENABLE, { code: codeAt(setup.body.secret, Date.now()) }, auth)).status).toBe(200);
  });
});
