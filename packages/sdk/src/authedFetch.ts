// The client's `fetch`: a request with the bearer token, refreshed first when stale and at most
// once more on a 401 about the token. Token state and refreshing belong to session.ts.
import { isAuthError } from '#sdk/errors';
import { isTokenRejection, joinUrl, send } from '#sdk/http';
import type { FetchLike } from '#sdk/types';

/** What an authenticated request needs to know of the session. */
export interface TokenSource {
  accessToken(): string | null;
  /** Either token is held, so a refresh could succeed. */
  hasSession(): boolean;
  /** A refresh is running or the token is stale: refresh (or join it) before sending. */
  mustRefreshFirst(): boolean;
  /** The single-flight refresh; rejects with a 401 AuthError when the session is over. */
  refresh(): Promise<unknown>;
}

export function createAuthedFetch(fetchFn: FetchLike, baseUrl: string, tokens: TokenSource): (path: string, init?: RequestInit) => Promise<Response> {
  /** Refreshes; false when the session is over (401), throws when the API could not say (offline, 5xx). */
  async function tryRefresh(): Promise<boolean> {
    try {
      await tokens.refresh();
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
   * A stale token is refreshed first; a 401 about the token leads to at most one refresh and
   * one retry, so a revoked session can never loop. When the session is over the API's 401 is
   * handed back as is. A 401 about something else (a wrong current password) is not retried:
   * that would only send the wrong password twice.
   */
  return async function authedFetch(path: string, init: RequestInit = {}): Promise<Response> {
    let refreshed = false;
    if (tokens.mustRefreshFirst()) refreshed = await tryRefresh();
    const used = tokens.accessToken();
    const res = await sendWithToken(path, init, used);
    if (res.status !== 401 || refreshed || !(await isTokenRejection(res))) return res;
    // Another caller (or tab) refreshed while this request was out: just retry with its token.
    const current = tokens.accessToken();
    if (current !== null && current !== used) return sendWithToken(path, init, current);
    if (!tokens.hasSession() || !(await tryRefresh())) return res;
    return sendWithToken(path, init, tokens.accessToken());
  };
}
