'use client';
// <AuthProvider>: one SDK browser client for the tree, the signed-in user and the session state.
//
// The access token lives in the SDK client's memory only (never localStorage or a cookie readable
// by scripts); the refresh token in the API's HttpOnly cookie. Refresh, its single flight across
// calls and tabs, and the session-end signal are the SDK's: this file only mirrors them into React.
import { createAuthClient, type AuthClient, type SessionEndReason, type User } from '@portcullis/sdk';
import { createContext, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

export type SessionStatus = 'loading' | 'signed-in' | 'signed-out';

export interface SessionValue {
  status: SessionStatus;
  /** False until the first answer (the server's `initialUser` or the silent refresh). */
  isLoaded: boolean;
  /** True while the provider's one silent refresh (restoring the access token) is in flight. */
  isRestoring: boolean;
  isSignedIn: boolean;
  user: User | null;
  /** The SDK client: `client.fetch(path, init)` calls the API with the bearer token. Null while server rendering without one. */
  client: AuthClient | null;
  /** Resolves once the access token is restored (null: no session): await it before a first API call. */
  ready(): Promise<User | null>;
  /** After `client.login()`/`register()`/a profile change: show this user everywhere at once. */
  setUser(user: User | null): void;
  /** Signs this session out (the SDK revokes the refresh token), then `afterSignOutUrl` or the tree signed out. */
  signOut(): Promise<void>;
  /** Signs out every session of the user (every device), then as signOut(). */
  signOutEverywhere(): Promise<void>;
}

export const SessionContext = createContext<SessionValue | null>(null);

export interface AuthProviderProps {
  /** Origin of the API (`''`: same origin). Ignored when `client` is given. */
  baseUrl?: string;
  /** A client of your own (e.g. one per page created outside React, or body transport in tests). */
  client?: AuthClient;
  /**
   * What the server knows: the user of a live session or null for none (e.g. from
   * `@portcullis/nextjs`'s getSession()). Then the first render already shows the right tree and a
   * null skips the silent refresh. Undefined: the tree shows as loading until the refresh answers.
   */
  initialUser?: User | null;
  /**
   * The session ended behind the page's back (revoked, expired, signed out in another tab, or the
   * server's session had no refresh cookie left). Return true when you take over, e.g. by leaving
   * the page for sign-in: the tree then keeps what it shows; otherwise it shows signed out.
   */
  onSessionEnd?: (reason: SessionEndReason) => boolean | void;
  /** After signOut()/signOutEverywhere(): load this URL (a full load: no signed-in page stays in memory). */
  afterSignOutUrl?: string;
  children?: ReactNode;
}

// One client per page for the default (not per render, not per Strict Mode remount): it owns
// timers and the cross-tab channel.
const clients = new Map<string, AuthClient>();
function pageClient(baseUrl: string): AuthClient | null {
  if (typeof window === 'undefined') return null; // server rendering never calls the API from here
  let client = clients.get(baseUrl);
  if (!client) clients.set(baseUrl, (client = createAuthClient({ baseUrl })));
  return client;
}

export function AuthProvider({ baseUrl = '', client: given, initialUser, onSessionEnd, afterSignOutUrl, children }: AuthProviderProps) {
  const client = useMemo(() => given ?? pageClient(baseUrl), [given, baseUrl]);
  const [user, setUserState] = useState<User | null>(initialUser ?? client?.getUser() ?? null);
  const [status, setStatus] = useState<SessionStatus>(() =>
    initialUser === undefined ? (client?.getUser() ? 'signed-in' : 'loading') : initialUser ? 'signed-in' : 'signed-out',
  );
  const [isRestoring, setRestoring] = useState(initialUser !== null && !client?.getUser());
  // The latest callback without re-subscribing (an inline arrow is a new function every render).
  const onEnd = useRef(onSessionEnd);
  useEffect(() => {
    onEnd.current = onSessionEnd;
  }, [onSessionEnd]);

  const setUser = useCallback((next: User | null) => {
    setUserState(next);
    setStatus(next ? 'signed-in' : 'signed-out');
  }, []);
  const ended = useCallback(
    (reason: SessionEndReason) => {
      if (onEnd.current?.(reason) !== true) setUser(null);
    },
    [setUser],
  );

  // Restore the access token once (one silent refresh through the HttpOnly cookie) unless the
  // server already said there is no session.
  useEffect(() => {
    if (!client || initialUser === null) return;
    let cancelled = false;
    client.restore().then(
      async (restored) => {
        if (cancelled) return;
        setRestoring(false);
        if (restored) return setUser(restored);
        if (!initialUser) return setUser(null);
        // The server saw a live session but the refresh cookie is gone: end the server's session
        // too, or a guest-only page (sign-in) would send the visitor straight back.
        await client.logout().catch(() => undefined);
        if (!cancelled) ended('refresh_failed');
      },
      () => {
        // Offline or API down: keep what was rendered; the next call retries the refresh.
        if (cancelled) return;
        setRestoring(false);
        if (initialUser === undefined) setUser(null);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, initialUser, setUser, ended]);

  // The session ended behind our back (revoked, expired, signed out in another tab).
  useEffect(() => client?.onSessionEnd((reason) => ended(reason)), [client, ended]);

  const ready = useCallback(async () => {
    if (!client || (initialUser === null && !client.isAuthenticated())) return null; // nothing to restore
    return client.restore();
  }, [client, initialUser]);

  const leave = useCallback(
    async (end: (c: AuthClient) => Promise<unknown>) => {
      try {
        if (client) await end(client);
      } finally {
        if (afterSignOutUrl !== undefined) window.location.assign(afterSignOutUrl);
        else setUser(null);
      }
    },
    [client, afterSignOutUrl, setUser],
  );
  const signOut = useCallback(() => leave((c) => c.logout()), [leave]);
  const signOutEverywhere = useCallback(() => leave((c) => c.logoutAll()), [leave]);

  const value = useMemo<SessionValue>(
    () => ({
      status,
      isLoaded: status !== 'loading',
      isRestoring,
      isSignedIn: status === 'signed-in',
      user,
      client,
      ready,
      setUser,
      signOut,
      signOutEverywhere,
    }),
    [status, isRestoring, user, client, ready, setUser, signOut, signOutEverywhere],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
