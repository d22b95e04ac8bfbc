import { describe, expect } from 'vitest';
import { users } from '../../src/db/schema.js';
import { IdentityCache } from '../../src/services/identityCache.js';
import { resetMfa } from '../../src/services/mfaReset.js';
import { changeRole, deleteUser } from '../../src/services/roles.js';
import { revokeUserSessions } from '../../src/services/sessions.js';
import { inTransaction } from '../../src/services/transaction.js';
import { eq } from 'drizzle-orm';
import { findCookie } from '@portcullis/testing/core';
import { apiTest, startApi } from '@portcullis/testing/fixtures';
import { bearer, registerUser, request, STRONG_PASSWORD } from '@portcullis/testing/http';
import { storedMail } from '@portcullis/testing/mail';
import type { TestServer } from '@portcullis/testing/server';
import { linkToken } from '@portcullis/testing/smtp';
import { codeAt } from '@portcullis/testing/totp';

/**
 * `GET /api/auth/me` and `GET /api/auth/session` answer from the identity cache (services/identityCache.ts)
 * without a database round trip, and every kind of change is seen by the very next request. Each
 * case warms the cache first (and checks it is warm: the second read makes no query), then changes
 * the user or the session the way a person, an admin or the CLI does (the CLI calls the same services).
 * Across instances: test/operations/multi-instance.test.ts.
 */

const test = apiTest({ WEB_URL: 'http://web.test', RATE_LIMITS: 'off' });
const ORIGIN = { origin: 'http://web.test' };

type Person = Awaited<ReturnType<typeof registerUser>>;

const sessionCookie = (p: Person) => ({ cookie: `portcullis_session=${findCookie(p.cookies, 'portcullis_session')!.value}` });
const me = (server: TestServer, token: string) => request(server.url, 'GET', '/api/auth/me', { headers: bearer(token) });
const session = (server: TestServer, p: Person) => request(server.url, 'GET', '/api/auth/session', { headers: sessionCookie(p) });

/** Counts the database reads made while `fn` runs (every read of these routes is a `select`). */
async function selectsDuring(server: TestServer, fn: () => Promise<unknown>): Promise<number> {
  const db = server.ctx.db;
  const select = db.select;
  let n = 0;
  db.select = ((...args: Parameters<typeof select>) => {
    n += 1;
    return select.apply(db, args);
  }) as typeof select;
  try {
    await fn();
  } finally {
    db.select = select;
  }
  return n;
}

/**
 * Reads /me and /session until both come from the cache; returns what they said. Up to three
 * rounds: on a machine so busy that a round outlasts the cache's 30 s safety TTL, the measured
 * read may miss once. A cache that never serves from memory still fails every round.
 */
async function warm(server: TestServer, p: Person, token = p.accessToken) {
  let answers: { me: any; session: any } = { me: undefined, session: undefined };
  let selects = -1;
  for (let round = 0; round < 3 && selects !== 0; round++) {
    await me(server, token);
    await session(server, p);
    selects = await selectsDuring(server, async () => {
      answers = { me: (await me(server, token)).body, session: (await session(server, p)).body };
    });
  }
  expect(selects).toBe(0);
  return answers;
}

describe('the identity cache behind /me and /session', () => {
  test.beforeAll(startApi);

  test('answers from memory once warm, with what the database holds', async ({ server }) => {
    const ada = await registerUser(server.url, { displayName: 'Ada' });
    const warmed = await warm(server, ada);
    expect(warmed.me.user).toEqual(ada.user);
    expect(warmed.session.user).toEqual(ada.user);
    expect(warmed.session.session.id).toBe(findCookie(ada.cookies, 'portcullis_session') && warmed.session.session.id);
  });

  test('a new display name is served at once', async ({ server }) => {
    const p = await registerUser(server.url, { displayName: 'Before' });
    await warm(server, p);
    expect((await request(server.url, 'PATCH', '/api/auth/me', { headers: bearer(p.accessToken), body: { displayName: 'After' } })).status).toBe(200);
    expect((await me(server, p.accessToken)).body.user.displayName).toBe('After');
    expect((await session(server, p)).body.user.displayName).toBe('After');
  });

  test('a verified address and a changed address are served at once', async ({ server }) => {
    const p = await registerUser(server.url);
    const verifyToken = linkToken((await storedMail(server, p.email)).at(-1)!.text, '/verify-email');
    await warm(server, p);
    expect((await request(server.url, 'POST', '/api/auth/email/verify', { body: { token: verifyToken } })).status).toBe(200);
    expect((await me(server, p.accessToken)).body.user.emailVerified).toBe(true);
    expect((await session(server, p)).body.user.emailVerified).toBe(true);

    const newEmail = `changed.${p.email}`;
    const asked = await request(server.url, 'POST', '/api/auth/email/change', {
      headers: bearer(p.accessToken),
      body: { newEmail, password: STRONG_PASSWORD },
    });
    expect(asked.status).toBe(202);
    const changeToken = linkToken((await storedMail(server, newEmail)).at(-1)!.text, '/confirm-email-change');
    await warm(server, p);
    expect((await request(server.url, 'POST', '/api/auth/email/change/confirm', { body: { token: changeToken } })).status).toBe(200);
    expect((await me(server, p.accessToken)).body.user.email).toBe(newEmail);
    expect((await session(server, p)).body.user.email).toBe(newEmail);
  });

  test('turning MFA on, off, and an admin reset are served at once', async ({ server }) => {
    const p = await registerUser(server.url);
    const setup = await request(server.url, 'POST', '/api/auth/mfa/totp/setup', { headers: bearer(p.accessToken) });
    await warm(server, p);
    const enabled = await request(server.url, 'POST', '/api/auth/mfa/totp/enable', {
      headers: bearer(p.accessToken),
      body: { code: codeAt(setup.body.secret, Date.now()) },
    });
    expect(enabled.status).toBe(200);
    expect((await me(server, p.accessToken)).body.user.mfaEnabled).toBe(true);
    expect((await session(server, p)).body.user.mfaEnabled).toBe(true);

    await warm(server, p);
    const disabled = await request(server.url, 'POST', '/api/auth/mfa/totp/disable', {
      headers: bearer(p.accessToken),
      body: { password: STRONG_PASSWORD, code: enabled.body.recoveryCodes[0] },
    });
    expect(disabled.status).toBe(204);
    expect((await me(server, p.accessToken)).body.user.mfaEnabled).toBe(false);

    // The admin's reset (also `cli reset-mfa`) revokes every session: /session refuses at once.
    const q = await registerUser(server.url);
    const qSetup = await request(server.url, 'POST', '/api/auth/mfa/totp/setup', { headers: bearer(q.accessToken) });
    await request(server.url, 'POST', '/api/auth/mfa/totp/enable', { headers: bearer(q.accessToken), body: { code: codeAt(qSetup.body.secret, Date.now()) } });
    await warm(server, q);
    await resetMfa(server.ctx, q.user.id, { actorId: null, via: 'cli' });
    expect((await session(server, q)).status).toBe(401);
  });

  test('a role change (admin or CLI) is served at once, on /session and to a new token on /me', async ({ server }) => {
    const p = await registerUser(server.url);
    await warm(server, p);
    await changeRole(server.ctx, p.user.id, 'moderator', { actorId: null, via: 'cli' });
    expect((await session(server, p)).body.user.role).toBe('moderator');
    // The old token carries the old role: refused; a new one sees the new role.
    expect((await me(server, p.accessToken)).status).toBe(401);
    const again = await request(server.url, 'POST', '/api/auth/login', { body: { email: p.email, password: STRONG_PASSWORD } });
    expect((await me(server, again.body.accessToken)).body.user.role).toBe('moderator');
  });

  test('logout, a revoked session, logout-all and a password change end the session at once', async ({ server }) => {
    const a = await registerUser(server.url);
    await warm(server, a);
    expect((await request(server.url, 'POST', '/api/auth/logout', { headers: { ...ORIGIN, cookie: `refresh_token=${a.refreshToken}` } })).status).toBe(204);
    expect((await session(server, a)).status).toBe(401);

    const b = await registerUser(server.url);
    const bSession = (await warm(server, b)).session.session.id;
    expect((await request(server.url, 'DELETE', `/api/auth/sessions/${bSession}`, { headers: bearer(b.accessToken) })).status).toBe(204);
    expect((await session(server, b)).status).toBe(401);

    const c = await registerUser(server.url);
    await warm(server, c);
    await revokeUserSessions(server.ctx, c.user.id, { reason: 'admin' });
    expect((await session(server, c)).status).toBe(401);

    const d = await registerUser(server.url);
    const other = await request(server.url, 'POST', '/api/auth/login', { body: { email: d.email, password: STRONG_PASSWORD } });
    const dElsewhere = { ...d, cookies: other.cookies };
    await warm(server, dElsewhere);
    const changed = await request(server.url, 'POST', '/api/auth/password/change', {
      headers: bearer(d.accessToken),
      body: { currentPassword: STRONG_PASSWORD, newPassword: 'Another-Horse-8' },
    });
    expect(changed.status).toBe(204);
    expect((await session(server, dElsewhere)).status).toBe(401);
  });

  test('a deleted user is refused at once on /session and /me', async ({ server }) => {
    const p = await registerUser(server.url);
    await warm(server, p);
    await deleteUser(server.ctx, p.user.id, { actorId: null, via: 'cli' });
    expect((await session(server, p)).status).toBe(401);
    expect((await me(server, p.accessToken)).status).toBe(401);
  });

  test('a refresh keeps the cache warm; a write that names nothing empties it', async ({ server }) => {
    const p = await registerUser(server.url);
    await warm(server, p);
    const refreshed = await request(server.url, 'POST', '/api/auth/refresh', { headers: { ...ORIGIN, cookie: `refresh_token=${p.refreshToken}` } });
    expect(refreshed.status).toBe(200);
    expect(server.ctx.identities.user(p.user.id)).toBeDefined();

    // A service that forgot userChangedAfterCommit: the commit drops every cached entry.
    await inTransaction(server.ctx, (tx) => tx.update(users).set({ displayName: 'Unannounced' }).where(eq(users.id, p.user.id)));
    expect(server.ctx.identities.size).toEqual({ users: 0, sessions: 0 });
    expect((await me(server, p.accessToken)).body.user.displayName).toBe('Unannounced');
  });
});

describe('IdentityCache', () => {
  const user = (id: string, displayName = 'X') => ({
    id,
    email: 'x@example.com',
    displayName,
    role: 'user' as const,
    emailVerified: false,
    mfaEnabled: false,
    createdAt: new Date(0).toISOString(),
  });
  // A minute from each test's own start: this file's server may take minutes to start on a busy machine.
  let future = 0;
  test.beforeEach(() => {
    future = Date.now() + 60_000;
  });

  test('a read that began before an invalidation is not stored', () => {
    const cache = new IdentityCache();
    const epoch = cache.begin();
    cache.invalidate({ users: ['u1'] });
    cache.fillUser(epoch, user('u1', 'old'));
    expect(cache.user('u1')).toBeUndefined();
    cache.fillUser(cache.begin(), user('u1', 'new'));
    expect(cache.user('u1')?.displayName).toBe('new');
  });

  test('a session answers only with its user, within its expiry and the TTL', () => {
    const cache = new IdentityCache({ ttlMs: 1_000 });
    const s = { id: 's1', userId: 'u1', expiresAt: future, absoluteExpiresAt: future, amr: ['pwd' as const] };
    cache.fillSession(cache.begin(), s, user('u1'));
    expect(cache.liveSession('s1')?.user.id).toBe('u1');
    cache.invalidate({ users: ['u1'] });
    expect(cache.liveSession('s1')).toBeUndefined();
    cache.fillSession(cache.begin(), { ...s, expiresAt: Date.now() - 1 }, user('u1'));
    expect(cache.liveSession('s1')).toBeUndefined();
    cache.fillSession(cache.begin(), s, user('u1'));
    expect(cache.liveSession('s1', Date.now() + 1_001)).toBeUndefined();
    cache.fillSession(cache.begin(), s, user('u1'));
    cache.applyRevocations([{ kind: 'session', subject: 's1', expiresAt: future }]);
    expect(cache.liveSession('s1')).toBeUndefined();
  });

  test('keeps at most max entries, dropping the least recently used', () => {
    const cache = new IdentityCache({ max: 2 });
    for (const id of ['a', 'b']) cache.fillUser(cache.begin(), user(id));
    cache.user('a');
    cache.fillUser(cache.begin(), user('c'));
    expect([cache.user('a')?.id, cache.user('b')?.id, cache.user('c')?.id]).toEqual(['a', undefined, 'c']);
  });
});
