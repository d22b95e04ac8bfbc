// Proactive refresh, 401 handling, single-flight and session end, on fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthError, createAuthClient, type AuthClient, type AuthClientOptions } from '../src/index.js';
import { createFakeApi, deferred, testUser, type FakeApi } from './helpers/fake-api.js';

const PASSWORD = 'Correct-horse1!';
let api: FakeApi;
let client: AuthClient;

function makeClient(options: Partial<AuthClientOptions> = {}): AuthClient {
  client = createAuthClient({ baseUrl: 'http://api.test', fetch: api.fetch, ...options });
  return client;
}

async function signedInClient(options: Partial<AuthClientOptions> = {}): Promise<AuthClient> {
  makeClient(options);
  await client.login({ email: testUser.email, password: PASSWORD });
  return client;
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2025-06-01T12:00:00Z') });
  api = createFakeApi();
});

afterEach(() => {
  client.close();
  vi.useRealTimers();
});

describe('proactive refresh', () => {
  it('fires at exactly lifetime minus buffer (15 min token: 810 s)', async () => {
    await signedInClient();
    await vi.advanceTimersByTimeAsync(810_000 - 1);
    expect(api.count('/api/auth/refresh')).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.count('/api/auth/refresh')).toBe(1);
    expect(client.getAccessToken()).toBe('at-2');
    // and reschedules from the new token's arrival
    await vi.advanceTimersByTimeAsync(810_000 - 1);
    expect(api.count('/api/auth/refresh')).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.count('/api/auth/refresh')).toBe(2);
  });

  it('uses the short-token branch (60 s token: 45 s)', async () => {
    api.knobs.expiresIn = 60;
    await signedInClient();
    await vi.advanceTimersByTimeAsync(44_999);
    expect(api.count('/api/auth/refresh')).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.count('/api/auth/refresh')).toBe(1);
  });

  it('retries a refresh that failed for a non-401 reason, keeping the session', async () => {
    await signedInClient();
    api.knobs.refreshError = { status: 503, code: 'SERVICE_UNAVAILABLE' };
    await vi.advanceTimersByTimeAsync(810_000);
    expect(api.count('/api/auth/refresh')).toBe(1);
    expect(client.isAuthenticated()).toBe(true);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(api.count('/api/auth/refresh')).toBe(2);
    await vi.advanceTimersByTimeAsync(10_000 - 1); // backs off: 5 s, 10 s, 20 s ... 1 min
    expect(api.count('/api/auth/refresh')).toBe(2);
    api.knobs.refreshError = null;
    await vi.advanceTimersByTimeAsync(1);
    expect(api.count('/api/auth/refresh')).toBe(3);
    expect(client.getAccessToken()).toBe('at-2');
    expect(client.isAuthenticated()).toBe(true);
  });

  it('can be turned off', async () => {
    await signedInClient({ autoRefresh: false });
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(api.count('/api/auth/refresh')).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('401 handling', () => {
  it('401 -> one refresh -> one retry', async () => {
    await signedInClient();
    api.revokeAccessTokens();
    await expect(client.me()).resolves.toEqual(testUser);
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /api/auth/login', 'GET /api/auth/me', 'POST /api/auth/refresh', 'GET /api/auth/me']);
    expect(api.calls[3]!.headers.get('authorization')).toBe('Bearer at-2');
  });

  it('does not loop when the retry is 401 again', async () => {
    await signedInClient();
    api.knobs.rejectAllTokens = true;
    const err = await client.me().catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
    expect(api.count('/api/auth/me')).toBe(2);
    expect(api.count('/api/auth/refresh')).toBe(1);
  });

  it('applies to fetch() too, which returns the Response', async () => {
    await signedInClient();
    api.revokeAccessTokens();
    const res = await client.fetch('/api/projects', { headers: { 'X-Custom': '1' } });
    expect(res.status).toBe(200);
    const last = api.calls.at(-1)!;
    expect(last.headers.get('authorization')).toBe('Bearer at-2');
    expect(last.headers.get('x-custom')).toBe('1');
    expect(last.credentials).toBe('include');
    expect(api.count('/api/auth/refresh')).toBe(1);
  });

  it('fetch() hands back the 401 when the session is over', async () => {
    await signedInClient();
    api.revokeAccessTokens();
    api.knobs.refreshError = { status: 401, code: 'INVALID_TOKEN' };
    const res = await client.fetch('/api/projects');
    expect(res.status).toBe(401);
    expect(api.count('/api/projects')).toBe(1);
  });

  it('does not refresh on a 401 that is not about the token (wrong current password)', async () => {
    await signedInClient();
    const err = await client.changePassword({ currentPassword: 'nope', newPassword: 'New-horse2!' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    expect(api.count('/api/auth/password/change')).toBe(1);
    expect(api.count('/api/auth/refresh')).toBe(0);
  });
});

describe('single-flight', () => {
  it('20 concurrent calls with a stale token cause one refresh', async () => {
    await signedInClient({ autoRefresh: false });
    vi.setSystemTime(Date.now() + 901_000); // past expiry
    const gate = deferred();
    api.knobs.refreshGate = gate.promise;
    const calls = Array.from({ length: 20 }, () => client.me());
    await vi.advanceTimersByTimeAsync(0);
    gate.resolve();
    const users = await Promise.all(calls);
    expect(users).toHaveLength(20);
    expect(api.count('/api/auth/refresh')).toBe(1);
    expect(api.count('/api/auth/me')).toBe(20);
    expect(api.calls.filter((c) => c.path === '/api/auth/me').every((c) => c.headers.get('authorization') === 'Bearer at-2')).toBe(true);
  });

  it('20 concurrent calls that all get 401 cause one refresh and 20 retries', async () => {
    await signedInClient();
    api.revokeAccessTokens();
    const users = await Promise.all(Array.from({ length: 20 }, () => client.me()));
    expect(users).toHaveLength(20);
    expect(api.count('/api/auth/refresh')).toBe(1);
    expect(api.count('/api/auth/me')).toBe(40);
  });

  it('a 401 that arrives after another call refreshed is retried with the new token, no new refresh', async () => {
    const slow = deferred();
    const fetchSlowProjects = async (input: string, init?: RequestInit) => {
      if (input.endsWith('/api/projects')) await slow.promise; // answers (401, old token) late
      return api.fetch(input, init);
    };
    makeClient({ fetch: fetchSlowProjects });
    await client.login({ email: testUser.email, password: PASSWORD });
    api.revokeAccessTokens();
    const projects = client.fetch('/api/projects');
    await client.me(); // 401 -> refresh -> retry, while /api/projects is still out
    expect(api.count('/api/auth/refresh')).toBe(1);
    slow.resolve();
    expect((await projects).status).toBe(200);
    expect(api.count('/api/auth/refresh')).toBe(1);
    expect(api.calls.filter((c) => c.path === '/api/projects').map((c) => c.headers.get('authorization'))).toEqual(['Bearer at-1', 'Bearer at-2']);
  });

  it('explicit refresh() calls share the flight', async () => {
    await signedInClient();
    await Promise.all([client.refresh(), client.refresh(), client.refresh()]);
    expect(api.count('/api/auth/refresh')).toBe(1);
  });
});

describe('refresh failure', () => {
  it('clears state, cancels timers and emits onSessionEnd once', async () => {
    const onEnd = vi.fn();
    await signedInClient({ onSessionEnd: onEnd });
    const second = vi.fn();
    client.onSessionEnd(second);
    api.knobs.refreshError = { status: 401, code: 'REFRESH_TOKEN_REUSED' };
    vi.setSystemTime(Date.now() + 901_000);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => client.me()));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(api.count('/api/auth/refresh')).toBe(1);
    expect(onEnd).toHaveBeenCalledTimes(1);
    expect(onEnd).toHaveBeenCalledWith('refresh_failed', expect.any(AuthError));
    expect(onEnd.mock.calls[0]![1]).toMatchObject({ status: 401, code: 'REFRESH_TOKEN_REUSED' });
    expect(second).toHaveBeenCalledTimes(1);
    expect(client.getAccessToken()).toBeNull();
    expect(client.getUser()).toBeNull();
    expect(client.isAuthenticated()).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(api.count('/api/auth/refresh')).toBe(1);
    expect(onEnd).toHaveBeenCalledTimes(1);
  });

  it('a failing proactive refresh ends the session too', async () => {
    const onEnd = vi.fn();
    await signedInClient({ onSessionEnd: onEnd });
    api.knobs.refreshError = { status: 401, code: 'INVALID_TOKEN' };
    await vi.advanceTimersByTimeAsync(810_000);
    expect(onEnd).toHaveBeenCalledTimes(1);
    expect(client.isAuthenticated()).toBe(false);
  });

  it('the unsubscribe function stops a listener', async () => {
    await signedInClient();
    const listener = vi.fn();
    const off = client.onSessionEnd(listener);
    off();
    api.knobs.refreshError = { status: 401, code: 'INVALID_TOKEN' };
    await expect(client.refresh()).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('init / restore', () => {
  it('resolves to the user when the refresh cookie is good', async () => {
    makeClient();
    await expect(client.init()).resolves.toEqual(testUser);
    expect(client.isAuthenticated()).toBe(true);
    expect(api.calls[0]).toMatchObject({ method: 'POST', path: '/api/auth/refresh', credentials: 'include' });
  });

  it('a call made while init() is still running waits for it instead of going out without a token', async () => {
    makeClient();
    const gate = deferred();
    api.knobs.refreshGate = gate.promise;
    const restoring = client.init();
    const me = client.me();
    gate.resolve();
    await expect(Promise.all([restoring, me])).resolves.toEqual([testUser, testUser]);
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /api/auth/refresh', 'GET /api/auth/me']);
  });

  it('resolves to null without onSessionEnd when there is no session', async () => {
    const onEnd = vi.fn();
    makeClient({ onSessionEnd: onEnd });
    api.knobs.refreshError = { status: 401, code: 'UNAUTHENTICATED' };
    await expect(client.restore()).resolves.toBeNull();
    expect(onEnd).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects when the API cannot be reached, so the app can tell offline from signed out', async () => {
    makeClient();
    api.knobs.refreshError = { status: 503, code: 'SERVICE_UNAVAILABLE' };
    await expect(client.init()).rejects.toMatchObject({ status: 503 });
  });
});

describe('sign-in flows', () => {
  it('login with MFA returns the challenge, loginMfa finishes it', async () => {
    makeClient();
    const result = await client.login({ email: 'mfa@example.com', password: PASSWORD });
    expect(result).toEqual({ mfaRequired: true, mfaToken: 'mfa-1', methods: ['totp', 'recovery_code'] });
    expect(client.isAuthenticated()).toBe(false);
    await expect(client.loginMfa({ mfaToken: 'mfa-1', code: '123456' })).resolves.toEqual({ user: testUser });
    expect(api.calls.at(-1)!.body).toEqual({ mfaToken: 'mfa-1', code: '123456' });
    expect(client.isAuthenticated()).toBe(true);
  });

  it('logout revokes, clears and stops the timer, without emitting', async () => {
    const onEnd = vi.fn();
    await signedInClient({ onSessionEnd: onEnd });
    await client.logout();
    expect(api.calls.at(-1)).toMatchObject({ method: 'POST', path: '/api/auth/logout', credentials: 'include' });
    expect(client.getAccessToken()).toBeNull();
    expect(vi.getTimerCount()).toBe(0);
    expect(onEnd).not.toHaveBeenCalled();
    await expect(client.me()).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(api.count('/api/auth/refresh')).toBe(0);
  });

  it('logoutAll, sessions and revokeSession use the bearer token', async () => {
    await signedInClient();
    await expect(client.sessions()).resolves.toHaveLength(1);
    await client.revokeSession('s/1');
    expect(api.calls.at(-1)).toMatchObject({ method: 'DELETE', path: '/api/auth/sessions/s%2F1' });
    await client.logoutAll();
    expect(api.calls.at(-1)!.headers.get('authorization')).toBe('Bearer at-1');
    expect(client.isAuthenticated()).toBe(false);
  });
});
