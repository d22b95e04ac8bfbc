// createAuthClient: sign-in calls, in-memory tokens, proactive and on-401 refresh.
//
// The access token lives only in this closure: never in any browser storage or a script-readable
// cookie, where any injected script could take it. The refresh token is the HttpOnly cookie
// (transport 'cookie') or, for non-browser clients, a variable here (transport 'body').
import { refreshDelayMs } from '#sdk/buffer';
import { AuthError, isAuthError } from '#sdk/errors';
import { isTokenRejection, joinUrl, jsonPost, readJson, send } from '#sdk/http';
import { createTabSync, type TabMessage } from '#sdk/tabs';
import type {
  AuthClient,
  AuthClientOptions,
  AuthResult,
  FetchLike,
  LoginResult,
  MfaChallenge,
  Session,
  SessionEndListener,
  SessionEndReason,
  SignedIn,
  User,
} from '#sdk/types';

/** setTimeout fires at once for delays above 2^31-1 ms; never ask for more. */
const MAX_TIMER_MS = 2_147_483_647;
/** After a refresh that failed for a reason other than 401 (offline, 503), retry after 5 s, doubling to 1 min. */
const RETRY_FIRST_MS = 5_000;
const RETRY_MAX_MS = 60_000;

export function createAuthClient(options: AuthClientOptions): AuthClient {
  const baseUrl = options.baseUrl;
  const transport = options.transport ?? 'cookie';
  // Looked up per call so tests and polyfills that replace the global after start-up still apply.
  const fetchFn: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = options.now ?? (() => Date.now());
  const autoRefresh = options.autoRefresh ?? true;
  const crossTab = options.crossTab ?? (transport === 'cookie' && typeof document !== 'undefined');
  const listeners = new Set<SessionEndListener>();
  if (options.onSessionEnd) listeners.add(options.onSessionEnd);

  let user: User | null = null;
  let accessToken: string | null = null;
  let refreshToken: string | null = transport === 'body' ? (options.refreshToken ?? null) : null;
  let expiresAt = 0;
  /** Epoch ms from which the access token counts as stale: calls refresh it first. */
  let refreshAt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumps whenever the token changes, so a refresh that waited for the lock sees another tab's work. */
  let generation = 0;
  /** Bumps on sign-out and sign-in, so a refresh that was already running cannot revive or override. */
  let epoch = 0;
  let inflight: Promise<User> | null = null;
  let closed = false;
  let failedRefreshes = 0;

  const tabs = createTabSync(crossTab, onTabMessage);

  function emit(reason: SessionEndReason, error?: AuthError): void {
    for (const listener of [...listeners]) {
      try {
        if (error === undefined) listener(reason);
        else listener(reason, error);
      } catch (err) {
        console.error('portcullis: onSessionEnd listener failed', err);
      }
    }
  }

  function clearTimer(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  }

  function schedule(delayMs: number): void {
    clearTimer();
    if (closed || !autoRefresh || accessToken === null || !Number.isFinite(delayMs)) return;
    timer = setTimeout(onTimer, Math.min(Math.max(delayMs, 0), MAX_TIMER_MS));
    // A pending refresh must not keep a Node process (CLI, script) alive on its own.
    (timer as { unref?: () => void }).unref?.();
  }

  function onTimer(): void {
    timer = undefined;
    refreshSession().catch((err: unknown) => {
      // 401 already ended the session; anything else (offline, 503) is worth another try.
      if ((isAuthError(err) && err.status === 401) || accessToken === null) return;
      schedule(Math.min(RETRY_FIRST_MS * 2 ** failedRefreshes, RETRY_MAX_MS));
      failedRefreshes++;
    });
  }

  function adopt(token: string, newUser: User, expiresIn: number, receivedAt: number, fromOtherTab = false): void {
    user = newUser;
    accessToken = token;
    generation++;
    failedRefreshes = 0;
    const lifetimeMs = expiresIn * 1000;
    if (Number.isFinite(lifetimeMs) && lifetimeMs > 0) {
      expiresAt = receivedAt + lifetimeMs;
      refreshAt = receivedAt + refreshDelayMs(lifetimeMs);
    } else {
      // No usable lifetime: don't guess, let a 401 trigger the refresh.
      expiresAt = refreshAt = Number.POSITIVE_INFINITY;
    }
    schedule(refreshAt - now());
    if (!fromOtherTab) tabs.publish({ type: 'token', accessToken: token, user: newUser, expiresIn, receivedAt });
  }

  function accept(result: AuthResult): User {
    if (transport === 'body' && typeof result.refreshToken === 'string') refreshToken = result.refreshToken;
    adopt(result.accessToken, result.user, result.expiresIn, now());
    return result.user;
  }

  function clearSession(): void {
    user = null;
    accessToken = null;
    refreshToken = null;
    expiresAt = refreshAt = 0;
    generation++;
    epoch++;
    clearTimer();
  }

  function onTabMessage(message: TabMessage): void {
    if (message.type === 'signed-out') {
      if (accessToken === null) return;
      clearSession();
      emit('signed_out_elsewhere');
      return;
    }
    // Another tab refreshed or signed in: take its token if it outlives ours.
    const theirExpiry = message.receivedAt + message.expiresIn * 1000;
    if (accessToken !== null && theirExpiry <= expiresAt) return;
    adopt(message.accessToken, message.user, message.expiresIn, message.receivedAt, true);
  }

  const hasSession = (): boolean => accessToken !== null || refreshToken !== null;

  async function post<T>(path: string, body: unknown, tokenTransport = false): Promise<T> {
    const headers: Record<string, string> = tokenTransport && transport === 'body' ? { 'X-Token-Transport': 'body' } : {};
    return readJson<T>(await send(fetchFn, joinUrl(baseUrl, path), jsonPost(body, headers)));
  }

  /** One refresh at a time per client, and per browser when Web Locks exist. */
  function refreshSession(): Promise<User> {
    inflight ??= runRefresh().finally(() => {
      inflight = null;
    });
    return inflight;
  }

  async function runRefresh(): Promise<User> {
    const waitedFrom = generation;
    return tabs.withLock(async () => {
      if (generation !== waitedFrom) {
        // Another tab refreshed (its token reached us over the channel) or signed out meanwhile.
        if (accessToken !== null && user !== null && now() < refreshAt) return user;
        if (accessToken === null && refreshToken === null) {
          throw new AuthError({ status: 401, code: 'UNAUTHENTICATED', message: 'Signed out in another tab' });
        }
      }
      const startEpoch = epoch;
      let result: AuthResult;
      try {
        const body = transport === 'body' && refreshToken !== null ? { refreshToken } : {};
        result = await post<AuthResult>('/api/auth/refresh', body, true);
      } catch (err) {
        if (isAuthError(err) && err.status === 401 && epoch === startEpoch) endSession(err);
        throw err;
      }
      if (epoch !== startEpoch) {
        throw new AuthError({ status: 401, code: 'UNAUTHENTICATED', message: 'Signed out while refreshing' });
      }
      return accept(result);
    });
  }

  /** The refresh token is dead: so is the session, here and (shared cookie) in every tab. */
  function endSession(error: AuthError): void {
    const wasSignedIn = accessToken !== null;
    clearSession();
    if (!wasSignedIn) return; // nothing ended: there was no session (e.g. init() on a fresh visit)
    tabs.publish({ type: 'signed-out' });
    emit('refresh_failed', error);
  }

  /** Refreshes; false when the session is over (401), throws when the API could not say (offline, 5xx). */
  async function tryRefresh(): Promise<boolean> {
    try {
      await refreshSession();
      return true;
    } catch (err) {
      if (isAuthError(err) && err.status === 401) return false;
      throw err;
    }
  }

  function sendWithToken(path: string, init: RequestInit, token: string | null): Promise<Response> {
    const headers = new Headers(init.headers);
    if (token !== null) headers.set('Authorization', `Bearer ${token}`);
    return send(fetchFn, joinUrl(baseUrl, path), { ...init, headers });
  }

  /**
   * An authenticated request. A stale token is refreshed first; a 401 about the token leads to
   * at most one refresh and one retry, so a revoked session can never loop. When the session
   * is over the API's 401 is handed back as is. A 401 about something else (a wrong current
   * password) is not retried: that would only send the wrong password twice.
   */
  async function authedFetch(path: string, init: RequestInit = {}): Promise<Response> {
    let refreshed = false;
    // Also wait for a refresh already running, e.g. init() on page load, rather than race it with no token.
    if (inflight !== null || (hasSession() && (accessToken === null || now() >= refreshAt))) refreshed = await tryRefresh();
    const used = accessToken;
    const res = await sendWithToken(path, init, used);
    if (res.status !== 401 || refreshed || !(await isTokenRejection(res))) return res;
    // Another caller (or tab) refreshed while this request was out: just retry with its token.
    if (accessToken !== null && accessToken !== used) return sendWithToken(path, init, accessToken);
    if (!hasSession() || !(await tryRefresh())) return res;
    return sendWithToken(path, init, accessToken);
  }

  async function authedJson<T>(path: string, init: RequestInit = {}): Promise<T> {
    return readJson<T>(await authedFetch(path, init));
  }

  function signedIn(result: AuthResult): SignedIn {
    epoch++; // a new sign-in supersedes whatever refresh of an older session is still running
    return { user: accept(result) };
  }

  async function restore(): Promise<User | null> {
    if (accessToken !== null && user !== null) return user;
    if (transport === 'body' && refreshToken === null) return null;
    try {
      return await refreshSession();
    } catch (err) {
      if (isAuthError(err) && err.status === 401) return null;
      throw err;
    }
  }

  return {
    async register({ email, password, displayName }) {
      return signedIn(await post<AuthResult>('/api/auth/register', { email, password, displayName }, true));
    },
    async login({ email, password }): Promise<LoginResult> {
      const result = await post<AuthResult | MfaChallenge>('/api/auth/login', { email, password }, true);
      if ('mfaRequired' in result && result.mfaRequired === true) {
        return { mfaRequired: true, mfaToken: result.mfaToken, methods: result.methods };
      }
      return signedIn(result as AuthResult);
    },
    async loginMfa(input) {
      const body = 'code' in input ? { mfaToken: input.mfaToken, code: input.code } : { mfaToken: input.mfaToken, recoveryCode: input.recoveryCode };
      return signedIn(await post<AuthResult>('/api/auth/login/mfa', body, true));
    },
    async logout() {
      // Let a running refresh finish first, so the newest refresh token is the one revoked.
      await inflight?.catch(() => undefined);
      const body = transport === 'body' && refreshToken !== null ? { refreshToken } : {};
      clearSession(); // signed out here whatever the network does
      try {
        await readJson<void>(await send(fetchFn, joinUrl(baseUrl, '/api/auth/logout'), jsonPost(body)));
      } finally {
        tabs.publish({ type: 'signed-out' });
      }
    },
    async logoutAll() {
      await authedJson<void>('/api/auth/logout-all', jsonPost({}));
      clearSession();
      tabs.publish({ type: 'signed-out' });
    },
    async me() {
      const result = await authedJson<{ user: User }>('/api/auth/me');
      if (accessToken !== null) user = result.user;
      return result.user;
    },
    async sessions() {
      return (await authedJson<{ sessions: Session[] }>('/api/auth/sessions')).sessions;
    },
    async revokeSession(id) {
      await authedJson<void>(`/api/auth/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });
    },
    refresh: refreshSession,
    async changePassword({ currentPassword, newPassword }) {
      await authedJson<void>('/api/auth/password/change', jsonPost({ currentPassword, newPassword }));
    },
    async recoveryCodesRemaining() {
      return (await authedJson<{ remaining: number }>('/api/auth/mfa/recovery-codes')).remaining;
    },
    async regenerateRecoveryCodes({ password, code }) {
      return (await authedJson<{ recoveryCodes: string[] }>('/api/auth/mfa/recovery-codes/regenerate', jsonPost({ password, code }))).recoveryCodes;
    },
    async updateProfile({ displayName }) {
      const result = await authedJson<{ user: User }>('/api/auth/me', { ...jsonPost({ displayName }), method: 'PATCH' });
      if (accessToken !== null) user = result.user;
      return result.user;
    },
    async deleteAccount({ password, code, recoveryCode } = {}) {
      await authedJson<void>('/api/auth/me', { ...jsonPost({ password, code, recoveryCode }), method: 'DELETE' });
      clearSession(); // the API revoked every session and cleared the cookie: as after logoutAll
      tabs.publish({ type: 'signed-out' });
    },
    init: restore,
    restore,
    getUser: () => user,
    getAccessToken: () => accessToken,
    isAuthenticated: () => accessToken !== null,
    getRefreshToken: () => refreshToken,
    fetch: authedFetch,
    onSessionEnd(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close() {
      closed = true;
      clearTimer();
      tabs.close();
    },
  };
}
