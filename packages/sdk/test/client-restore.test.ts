// Calls made while the session is being restored (init()/restore() on page load): they wait for
// that refresh and carry its token; with no restore running they go out at once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthClient, type AuthClient, type AuthClientOptions } from '../src/index.js';
import { createFakeApi, deferred, testUser, type FakeApi } from './helpers/fake-api.js';

const PASSWORD = 'Correct-horse1!';
let api: FakeApi;
let client: AuthClient;

function makeClient(options: Partial<AuthClientOptions> = {}): AuthClient {
  client = createAuthClient({ baseUrl: 'http://api.test', fetch: api.fetch, ...options });
  return client;
}

/** "METHOD /path Authorization" of every call, for asserting order and tokens in one go. */
const sent = () => api.calls.map((c) => `${c.method} ${c.path} ${c.headers.get('authorization') ?? '-'}`);

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2025-06-01T12:00:00Z') });
  api = createFakeApi();
});

afterEach(() => {
  client.close();
  vi.useRealTimers();
});

describe('a call made while restore() is running', () => {
  it('fetch() waits for it and carries the restored token', async () => {
    makeClient();
    const gate = deferred();
    api.knobs.refreshGate = gate.promise;
    const restoring = client.restore();
    const res = client.fetch('/api/projects');
    await vi.advanceTimersByTimeAsync(0);
    expect(sent()).toEqual(['POST /api/auth/refresh -']); // held back, not sent without a token
    gate.resolve();
    expect((await res).status).toBe(200);
    await expect(restoring).resolves.toEqual(testUser);
    expect(sent()).toEqual(['POST /api/auth/refresh -', 'GET /api/projects Bearer at-1']);
  });

  it('every typed method that needs a token waits too, and they share the one refresh', async () => {
    makeClient();
    const gate = deferred();
    api.knobs.refreshGate = gate.promise;
    const restoring = client.init();
    const calls = Promise.all([
      client.me(),
      client.sessions(),
      client.revokeSession('s1'),
      client.changePassword({ currentPassword: PASSWORD, newPassword: 'New-horse2!' }),
    ]);
    await vi.advanceTimersByTimeAsync(0);
    expect(api.calls).toHaveLength(1);
    gate.resolve();
    await Promise.all([restoring, calls]);
    expect(api.count('/api/auth/refresh')).toBe(1);
    expect(sent().slice(1).sort()).toEqual([
      'DELETE /api/auth/sessions/s1 Bearer at-1',
      'GET /api/auth/me Bearer at-1',
      'GET /api/auth/sessions Bearer at-1',
      'POST /api/auth/password/change Bearer at-1',
    ]);
  });

  it('body transport: waits for the restore from a saved refresh token', async () => {
    makeClient({ transport: 'body' });
    await client.login({ email: testUser.email, password: PASSWORD });
    const saved = client.getRefreshToken()!;
    client.close();
    api.calls.length = 0;
    makeClient({ transport: 'body', refreshToken: saved });
    const gate = deferred();
    api.knobs.refreshGate = gate.promise;
    const restoring = client.restore();
    const res = client.fetch('/api/projects');
    await vi.advanceTimersByTimeAsync(0);
    gate.resolve();
    expect((await res).status).toBe(200);
    await restoring;
    expect(sent()).toEqual(['POST /api/auth/refresh -', 'GET /api/projects Bearer at-2']);
  });

  it('goes out once without a token when the restore finds no session, with no second refresh', async () => {
    makeClient();
    const gate = deferred();
    api.knobs.refreshGate = gate.promise;
    api.knobs.refreshError = { status: 401, code: 'UNAUTHENTICATED' };
    const restoring = client.restore();
    const res = client.fetch('/api/projects');
    gate.resolve();
    await expect(restoring).resolves.toBeNull();
    expect((await res).status).toBe(401);
    expect(sent()).toEqual(['POST /api/auth/refresh -', 'GET /api/projects -']);
  });

  it('restore() called again meanwhile (as the web app’s ready() does) joins the same refresh', async () => {
    makeClient();
    const gate = deferred();
    api.knobs.refreshGate = gate.promise;
    const first = client.restore();
    const res = client.fetch('/api/projects');
    const second = client.restore();
    gate.resolve();
    await expect(Promise.all([first, second])).resolves.toEqual([testUser, testUser]);
    expect((await res).status).toBe(200);
    expect(sent()).toEqual(['POST /api/auth/refresh -', 'GET /api/projects Bearer at-1']);
  });
});

describe('with no restore running', () => {
  it('a call without a known session goes out at once, without waiting or refreshing', async () => {
    makeClient();
    const gate = deferred(); // a refresh, were one started, would hang here
    api.knobs.refreshGate = gate.promise;
    const res = await client.fetch('/api/projects');
    expect(res.status).toBe(401);
    expect(sent()).toEqual(['GET /api/projects -']);
    gate.resolve();
  });

  it('a call after the restore finished uses its token without another refresh', async () => {
    makeClient();
    await client.restore();
    const gate = deferred();
    api.knobs.refreshGate = gate.promise;
    expect((await client.fetch('/api/projects')).status).toBe(200);
    expect(sent()).toEqual(['POST /api/auth/refresh -', 'GET /api/projects Bearer at-1']);
    gate.resolve();
  });
});
