'use client';
// <AuthProvider>: one SDK browser client for the tree, the signed-in user and the session state.
//
// The access token lives in the SDK client's memory only (never localStorage or a cookie readable
// by scripts); the refresh token in the API's HttpOnly cookie. Refresh, its single flight across
// calls and tabs, and the session-end signal are the SDK's: this file only mirrors them into React.
import { createAuthClient, type AuthClient, type User } from '@portcullis/sdk';
import { createContext, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';

export type SessionStatus = 'loading' | 'signed-in' | 'signed-out';

export interface SessionValue {
  status: SessionStatus;
  /** False until the first answer (the server's `initialUser` or the silent refresh). */
  isLoaded: boolean;
  isSignedIn: boolean;
  user: User | null;
  /** The SDK client: `client.fetch(path, init)` calls the API with the bearer token. Null while server rendering without one. */
  client: AuthClient | null;
  /** After `client.login()`/`register()`/a profile change: show this user everywhere at once. */
  setUser(user: User | null): void;
  /** Signs this session out (the SDK revokes the refresh token) and shows the tree signed out. */
  signOut(): Promise<void>;
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

export function AuthProvider({ baseUrl = '', client: given, initialUser, children }: AuthProviderProps) {
  const client = useMemo(() => given ?? pageClient(baseUrl), [given, baseUrl]);
  const [user, setUserState] = useState<User | null>(initialUser ?? client?.getUser() ?? null);
  const [status, setStatus] = useState<SessionStatus>(() =>
    initialUser === undefined ? (client?.getUser() ? 'signed-in' : 'loading') : initialUser ? 'signed-in' : 'signed-out',
  );

  const setUser = useCallback((next: User | null) => {
    setUserState(next);
    setStatus(next ? 'signed-in' : 'signed-out');
  }, []);

  // Restore the access token once (one silent refresh through the HttpOnly cookie) unless the
  // server already said there is no session.
  useEffect(() => {
    if (!client || initialUser === null) return;
    let cancelled = false;
    client.restore().then(
      (restored) => {
        if (!cancelled) setUser(restored);
      },
      () => {
        // Offline or API down: keep what was rendered; the next call retries the refresh.
        if (!cancelled && initialUser === undefined) setUser(null);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, initialUser, setUser]);

  // The session ended behind our back (revoked, expired, signed out in another tab).
  useEffect(() => client?.onSessionEnd(() => setUser(null)), [client, setUser]);

  const signOut = useCallback(async () => {
    try {
      await client?.logout();
    } finally {
      setUser(null);
    }
  }, [client, setUser]);

  const value = useMemo<SessionValue>(
    () => ({ status, isLoaded: status !== 'loading', isSignedIn: status === 'signed-in', user, client, setUser, signOut }),
    [status, user, client, setUser, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
