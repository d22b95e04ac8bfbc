// This client's signed-in session: the tokens in memory and keeping them fresh (single-flight
// refresh, proactive timer, other tabs' tokens and sign-outs), and telling listeners when it ends.
//
// The access token lives only in this closure: never in any browser storage or a script-readable
// cookie, where any injected script could take it. The refresh token is the HttpOnly cookie
// (transport 'cookie') or, for non-browser clients, a variable here (transport 'body').
import { createAuthedFetch } from '#sdk/authedFetch';
import { refreshDelayMs } from '#sdk/buffer';
import { AuthError, isAuthError } from '#sdk/errors';
import { joinUrl, jsonPost, readJson, send } from '#sdk/http';
import { createRefreshTimer } from '#sdk/refreshTimer';
import { createTabSync, type TabMessage } from '#sdk/tabs';
import type { AuthClient, AuthClientOptions, AuthResult, FetchLike, SessionEndListener, SessionEndReason, SignedIn, User } from '#sdk/types';

/** What the account methods in client.ts build on; the picked members are handed to AuthClient as they are. */
export interface ClientSession extends Pick<
  AuthClient,
  'getUser' | 'getAccessToken' | 'isAuthenticated' | 'getRefreshToken' | 'fetch' | 'refresh' | 'restore' | 'onSessionEnd' | 'close' | 'adoptAccessToken'
> {
  /** An unauthenticated JSON POST; tokenTransport asks for the refresh token in the body (transport 'body'). */
  post<T>(path: string, body: unknown, tokenTransport?: boolean): Promise<T>;
  /** A new sign-in: its tokens replace any older session's. */
  signedIn(result: AuthResult): SignedIn;
  /** The API's newer view of the user; ignored once signed out, so a late answer cannot revive it. */
  cacheUser(user: User): void;
  /** Resolves once a running refresh is over, however it ended. */
  refreshSettled(): Promise<void>;
  /** The refresh token for a request body: `{ refreshToken }` with body transport, else `{}`. */
  refreshTokenBody(): { refreshToken?: string };
  /** Forget tokens and user here; no listener is told (the caller signed out on purpose). */
  clear(): void;
  /** Tell other tabs to sign out too. */
  announceSignOut(): void;
}

export function createClientSession(options: AuthClientOptions): ClientSession {
  const baseUrl = options.baseUrl;
  const transport = options.transport ?? 'cookie';
  // Looked up per call so tests and polyfills that replace the global after start-up still apply.
  const fetchFn: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = options.now ?? (() => Date.now());
  const crossTab = options.crossTab ?? (transport === 'cookie' && typeof document !== 'undefined');
  const listeners = new Set<SessionEndListener>();
  if (options.onSessionEnd) listeners.add(options.onSessionEnd);

  let user: User | null = null;
  let accessToken: string | null = null;
  let refreshToken: string | null = transport === 'body' ? (options.refreshToken ?? null) : null;
  let expiresAt = 0;
  /** Epoch ms from which the access token counts as stale: calls refresh it first. */
  let refreshAt = 0;
  /** Bumps whenever the token changes, so a refresh that waited for the lock sees another tab's work. */
  let generation = 0;
  /** Bumps on sign-out and sign-in, so a refresh that was already running cannot revive or override. */
  let epoch = 0;
  let inflight: Promise<User> | null = null;

  // After a failed refresh: 401 already ended the session; anything else (offline, 503) is worth another try.
  const worthRetry = (err: unknown): boolean => !(isAuthError(err) && err.status === 401) && accessToken !== null;
  const timer = createRefreshTimer(options.autoRefresh ?? true, refreshSession, worthRetry);
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

  function adopt(token: string, newUser: User, expiresIn: number, receivedAt: number, fromOtherTab = false): void {
    user = newUser;
    accessToken = token;
    generation++;
    const lifetimeMs = expiresIn * 1000;
    if (Number.isFinite(lifetimeMs) && lifetimeMs > 0) {
      expiresAt = receivedAt + lifetimeMs;
      refreshAt = receivedAt + refreshDelayMs(lifetimeMs);
    } else {
      // No usable lifetime: don't guess, let a 401 trigger the refresh.
      expiresAt = refreshAt = Number.POSITIVE_INFINITY;
    }
    timer.start(refreshAt - now());
    if (!fromOtherTab) tabs.publish({ type: 'token', accessToken: token, user: newUser, expiresIn, receivedAt });
  }

  function accept(result: AuthResult): User {
    if (transport === 'body' && typeof result.refreshToken === 'string') refreshToken = result.refreshToken;
    adopt(result.accessToken, result.user, result.expiresIn, now());
    return result.user;
  }

  function clear(): void {
    user = null;
    accessToken = null;
    refreshToken = null;
    expiresAt = refreshAt = 0;
    generation++;
    epoch++;
    timer.cancel();
  }

  function onTabMessage(message: TabMessage): void {
    if (message.type === 'signed-out') {
      if (accessToken === null) return;
      clear();
      emit('signed_out_elsewhere');
      return;
    }
    // Another tab refreshed or signed in: take its token if it outlives ours.
    const theirExpiry = message.receivedAt + message.expiresIn * 1000;
    if (accessToken !== null && theirExpiry <= expiresAt) return;
    adopt(message.accessToken, message.user, message.expiresIn, message.receivedAt, true);
  }

  const hasSession = (): boolean => accessToken !== null || refreshToken !== null;
  const refreshTokenBody = (): { refreshToken?: string } => (transport === 'body' && refreshToken !== null ? { refreshToken } : {});

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
        result = await post<AuthResult>('/api/auth/refresh', refreshTokenBody(), true);
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
    clear();
    if (!wasSignedIn) return; // nothing ended: there was no session (e.g. init() on a fresh visit)
    tabs.publish({ type: 'signed-out' });
    emit('refresh_failed', error);
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

  const authedFetch = createAuthedFetch(fetchFn, baseUrl, {
    accessToken: () => accessToken,
    hasSession,
    // Also wait for a refresh already running, e.g. init() on page load, rather than race it with no token.
    mustRefreshFirst: () => inflight !== null || (hasSession() && (accessToken === null || now() >= refreshAt)),
    refresh: refreshSession,
  });

  return {
    post,
    signedIn(result) {
      epoch++; // a new sign-in supersedes whatever refresh of an older session is still running
      return { user: accept(result) };
    },
    cacheUser(newUser) {
      if (accessToken !== null) user = newUser;
    },
    adoptAccessToken(result) {
      // Same session, new claims (the active organization): ignored once signed out.
      if (accessToken !== null && user !== null) adopt(result.accessToken, user, result.expiresIn, now());
    },
    async refreshSettled() {
      await inflight?.catch(() => undefined);
    },
    refreshTokenBody,
    clear,
    announceSignOut: () => tabs.publish({ type: 'signed-out' }),
    refresh: refreshSession,
    restore,
    fetch: authedFetch,
    getUser: () => user,
    getAccessToken: () => accessToken,
    isAuthenticated: () => accessToken !== null,
    getRefreshToken: () => refreshToken,
    onSessionEnd(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close() {
      timer.close();
      tabs.close();
    },
  };
}
