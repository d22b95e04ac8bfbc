// Token transport: cookie (browser) vs body (Node, CLI, mobile), and where tokens may live.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthClient, type AuthClient } from '../src/index.js';
import { createFakeApi, testUser, type FakeApi } from './helpers/fake-api.js';

const PASSWORD = 'Correct-horse1!';
let api: FakeApi;
let client: AuthClient | undefined;

beforeEach(() => {
  vi.useFakeTimers();
  api = createFakeApi();
});

afterEach(() => {
  client?.close();
  client = undefined;
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('body transport', () => {
  it('sends X-Token-Transport: body and the refresh token in the body', async () => {
    client = createAuthClient({ baseUrl: 'http://api.test/', fetch: api.fetch, transport: 'body' });
    await client.register({ email: testUser.email, password: PASSWORD, displayName: 'Ada' });
    expect(api.calls[0]!.headers.get('x-token-transport')).toBe('body');
    expect(api.calls[0]!.headers.get('content-type')).toBe('application/json');
    expect(client.getRefreshToken()).toBe('rt-1');

    await client.login({ email: testUser.email, password: PASSWORD });
    expect(api.calls[1]!.headers.get('x-token-transport')).toBe('body');

    await client.refresh();
    const refresh = api.calls[2]!;
    expect(refresh.path).toBe('/api/auth/refresh');
    expect(refresh.headers.get('x-token-transport')).toBe('body');
    expect(refresh.body).toEqual({ refreshToken: 'rt-2' });
    expect(client.getRefreshToken()).toBe('rt-3'); // rotated

    await client.logout();
    const logout = api.calls[3]!;
    expect(logout.path).toBe('/api/auth/logout');
    expect(logout.body).toEqual({ refreshToken: 'rt-3' });
    expect(client.getRefreshToken()).toBeNull();
  });

  it('sends the header on login/mfa too', async () => {
    client = createAuthClient({ baseUrl: 'http://api.test', fetch: api.fetch, transport: 'body' });
    await client.login({ email: 'mfa@example.com', password: PASSWORD });
    await client.loginMfa({ mfaToken: 'mfa-1', recoveryCode: 'rc-1' });
    expect(api.calls[1]!.headers.get('x-token-transport')).toBe('body');
    expect(api.calls[1]!.body).toEqual({ mfaToken: 'mfa-1', recoveryCode: 'rc-1' });
  });

  it('restores from a saved refresh token', async () => {
    client = createAuthClient({ baseUrl: 'http://api.test', fetch: api.fetch, transport: 'body' });
    await client.login({ email: testUser.email, password: PASSWORD });
    const saved = client.getRefreshToken()!;
    client.close();
    client = createAuthClient({ baseUrl: 'http://api.test', fetch: api.fetch, transport: 'body', refreshToken: saved });
    await expect(client.init()).resolves.toEqual(testUser);
  });

  it('init() without a refresh token makes no request', async () => {
    client = createAuthClient({ baseUrl: 'http://api.test', fetch: api.fetch, transport: 'body' });
    await expect(client.init()).resolves.toBeNull();
    expect(api.calls).toHaveLength(0);
  });
});

describe('cookie transport', () => {
  it('sends credentials: include, no transport header, and never a refresh token in the body', async () => {
    client = createAuthClient({ baseUrl: 'http://api.test', fetch: api.fetch });
    await client.login({ email: testUser.email, password: PASSWORD });
    await client.refresh();
    await client.me();
    await client.logout();
    for (const call of api.calls) {
      expect(call.credentials).toBe('include');
      expect(call.headers.get('x-token-transport')).toBeNull();
    }
    expect(api.calls[1]!.body).toEqual({});
    expect(api.calls[3]!.body).toEqual({});
    expect(client.getRefreshToken()).toBeNull();
  });
});

describe('token storage', () => {
  function fakeStorage() {
    return { getItem: vi.fn(), setItem: vi.fn(), removeItem: vi.fn(), clear: vi.fn(), key: vi.fn(), length: 0 };
  }

  it('never writes a token to localStorage, sessionStorage, IndexedDB or document.cookie', async () => {
    const local = fakeStorage();
    const session = fakeStorage();
    const idb = { open: vi.fn(), deleteDatabase: vi.fn() };
    const cookieWrites = vi.fn();
    const doc = {};
    Object.defineProperty(doc, 'cookie', { get: () => '', set: cookieWrites });
    vi.stubGlobal('localStorage', local);
    vi.stubGlobal('sessionStorage', session);
    vi.stubGlobal('indexedDB', idb);
    vi.stubGlobal('document', doc);

    for (const transport of ['cookie', 'body'] as const) {
      client = createAuthClient({ baseUrl: 'http://api.test', fetch: api.fetch, transport, crossTab: false });
      await client.register({ email: testUser.email, password: PASSWORD, displayName: 'Ada' });
      await client.login({ email: testUser.email, password: PASSWORD });
      await vi.advanceTimersByTimeAsync(810_000); // proactive refresh
      api.revokeAccessTokens();
      await client.me(); // 401 -> refresh -> retry
      await client.fetch('/api/projects');
      await client.logout();
      client.close();
    }

    expect(api.count('/api/auth/refresh')).toBe(4);
    for (const storage of [local, session]) {
      for (const fn of [storage.getItem, storage.setItem, storage.removeItem, storage.clear, storage.key]) {
        expect(fn).not.toHaveBeenCalled();
      }
    }
    expect(idb.open).not.toHaveBeenCalled();
    expect(cookieWrites).not.toHaveBeenCalled();
  });
});
