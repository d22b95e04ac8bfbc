// Cross-tab coordination with a fake Web Locks manager and a fake BroadcastChannel.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthClient, type AuthClient } from '../src/index.js';
import { createFakeApi, deferred, testUser, type FakeApi } from './helpers/fake-api.js';

/** FIFO exclusive lock, like navigator.locks for a single lock name. */
function fakeLocks() {
  let tail: Promise<unknown> = Promise.resolve();
  const requested: string[] = [];
  return {
    requested,
    request<T>(name: string, callback: (lock: unknown) => T | PromiseLike<T>): Promise<T> {
      requested.push(name);
      const run = tail.then(() => callback({ name, mode: 'exclusive' }));
      tail = run.catch(() => undefined);
      return run;
    },
  };
}

/** Same-process BroadcastChannel: delivers to every other open instance of the name, asynchronously. */
class FakeChannel {
  static open = new Set<FakeChannel>();
  onmessage: ((event: { data: unknown }) => void) | null = null;
  constructor(readonly name: string) {
    FakeChannel.open.add(this);
  }
  postMessage(data: unknown): void {
    const copy = structuredClone(data);
    for (const other of FakeChannel.open) {
      if (other !== this && other.name === this.name) queueMicrotask(() => other.onmessage?.({ data: copy }));
    }
  }
  close(): void {
    FakeChannel.open.delete(this);
  }
}

const PASSWORD = 'Correct-horse1!';
let api: FakeApi;
let locks: ReturnType<typeof fakeLocks>;
let tabs: AuthClient[];

function openTab(onSessionEnd = vi.fn()): AuthClient {
  const tab = createAuthClient({ baseUrl: 'http://api.test', fetch: api.fetch, crossTab: true, onSessionEnd });
  tabs.push(tab);
  return tab;
}

beforeEach(() => {
  vi.useFakeTimers();
  api = createFakeApi();
  locks = fakeLocks();
  tabs = [];
  vi.stubGlobal('navigator', { locks });
  vi.stubGlobal('BroadcastChannel', FakeChannel);
});

afterEach(() => {
  for (const tab of tabs) tab.close();
  expect(FakeChannel.open.size).toBe(0);
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('cross-tab', () => {
  it('a sign-in in one tab reaches the others', async () => {
    const a = openTab();
    const b = openTab();
    await a.login({ email: testUser.email, password: PASSWORD });
    await vi.advanceTimersByTimeAsync(0);
    expect(b.getAccessToken()).toBe(a.getAccessToken());
    expect(b.getUser()).toEqual(testUser);
  });

  it('tabs whose timers fire together refresh once, under the portcullis-refresh lock', async () => {
    const a = openTab();
    const b = openTab();
    const c = openTab();
    await a.login({ email: testUser.email, password: PASSWORD });
    // Hold the first refresh open so that every tab's timer fires while it is running.
    const gate = deferred();
    api.knobs.refreshGate = gate.promise;
    await vi.advanceTimersByTimeAsync(810_000);
    gate.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(api.count('/api/auth/refresh')).toBe(1);
    expect(locks.requested.every((name) => name === 'portcullis-refresh')).toBe(true);
    expect(locks.requested.length).toBe(3);
    expect(new Set([a, b, c].map((t) => t.getAccessToken()))).toEqual(new Set(['at-2']));
  });

  it('a tab that waited for the lock uses the token another tab broadcast', async () => {
    const a = openTab();
    const b = openTab();
    await a.login({ email: testUser.email, password: PASSWORD });
    vi.setSystemTime(Date.now() + 901_000); // both tokens stale, timers not yet run
    const [ua, ub] = await Promise.all([a.me(), b.me()]);
    expect(ua).toEqual(testUser);
    expect(ub).toEqual(testUser);
    expect(api.count('/api/auth/refresh')).toBe(1);
    expect(b.getAccessToken()).toBe('at-2');
  });

  it('sign-out in one tab ends the session in the others', async () => {
    const endA = vi.fn();
    const endB = vi.fn();
    const a = openTab(endA);
    const b = openTab(endB);
    await a.login({ email: testUser.email, password: PASSWORD });
    await vi.advanceTimersByTimeAsync(0);
    await a.logout();
    await vi.advanceTimersByTimeAsync(0);
    expect(b.isAuthenticated()).toBe(false);
    expect(endB).toHaveBeenCalledExactlyOnceWith('signed_out_elsewhere');
    expect(endA).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('deleting the account in one tab ends the session in the others', async () => {
    const endA = vi.fn();
    const endB = vi.fn();
    const a = openTab(endA);
    const b = openTab(endB);
    await a.login({ email: testUser.email, password: PASSWORD });
    await vi.advanceTimersByTimeAsync(0);
    await a.deleteAccount({ password: PASSWORD });
    await vi.advanceTimersByTimeAsync(0);
    expect(b.isAuthenticated()).toBe(false);
    expect(endB).toHaveBeenCalledExactlyOnceWith('signed_out_elsewhere');
    expect(endA).not.toHaveBeenCalled();
  });

  it('a refresh failure in one tab ends the session in the others', async () => {
    const endB = vi.fn();
    const a = openTab();
    const b = openTab(endB);
    await a.login({ email: testUser.email, password: PASSWORD });
    await vi.advanceTimersByTimeAsync(0);
    api.knobs.refreshError = { status: 401, code: 'REFRESH_TOKEN_REUSED' };
    await expect(a.refresh()).rejects.toMatchObject({ code: 'REFRESH_TOKEN_REUSED' });
    await vi.advanceTimersByTimeAsync(0);
    expect(endB).toHaveBeenCalledExactlyOnceWith('signed_out_elsewhere');
    expect(b.isAuthenticated()).toBe(false);
  });

  it('works without Web Locks and BroadcastChannel (Node)', async () => {
    vi.unstubAllGlobals();
    vi.stubGlobal('BroadcastChannel', undefined);
    const a = openTab();
    await a.login({ email: testUser.email, password: PASSWORD });
    await vi.advanceTimersByTimeAsync(810_000);
    expect(api.count('/api/auth/refresh')).toBe(1);
  });
});
