'use client';
// The browser side of the session: one SDK client per page, the current user, sign-out.
//
// The server decides what a page shows (proxy.ts + getSessionUser) and passes the user in as
// `initialUser`; this provider then restores an access token (one silent refresh) so client
// components can call the API. The token stays in the SDK's memory: never in storage.
import { createAuthClient, type AuthClient, type User } from '@portcullis/sdk';
import { usePathname } from 'next/navigation';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { loginUrlFor } from '@/lib/redirect';
import { isGuestOnlyPath, isProtectedPath } from '@/lib/routes';
import { isSessionEndReason, SESSION_ENDED_HEADER } from '@/lib/session-end';

export type AuthStatus = 'restoring' | 'signed-in' | 'signed-out';

export interface AuthContextValue {
  /** The SDK client; `client.fetch(path, init)` for any API call with the bearer token. */
  client: AuthClient;
  user: User | null;
  status: AuthStatus;
  /** Resolves once the access token is restored: await it before the first API call. */
  ready(): Promise<User | null>;
  /** After login or register: the SDK already holds the token. */
  signedIn(user: User): void;
  /** After a profile change: the header and every client component show the new user at once. */
  userChanged(user: User): void;
  /** Signs this session out and loads /login (a full load: no signed-in page stays in memory). */
  signOut(): Promise<void>;
  /** Every session of the user, then /login. */
  signOutEverywhere(): Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

let sharedClient: AuthClient | undefined;
/** One client per page (not per render, not per Strict Mode remount): it owns timers and the tab channel. */
function getClient(): AuthClient {
  sharedClient ??= createAuthClient({ baseUrl: '' }); // same origin: server.mjs proxies /api
  return sharedClient;
}

const currentPath = () => window.location.pathname + window.location.search;

/**
 * Leaves the page for sign-in with a way back, replacing history so Back does not return here.
 * The API says why the session ended (X-Session-Ended on the session check), so the sign-in page
 * can tell the person: revoked, signed out everywhere, password changed elsewhere, locked, …
 */
function goToLogin(): void {
  const path = currentPath();
  void fetch('/api/auth/session', { credentials: 'same-origin', cache: 'no-store' })
    .then((res) => (res.status === 401 ? res.headers.get(SESSION_ENDED_HEADER) : null))
    .catch(() => null)
    .then((ended) => window.location.replace(loginUrlFor(path, isSessionEndReason(ended) ? ended : undefined)));
}

export function AuthProvider({ initialUser, children }: { initialUser: User | null; children: ReactNode }) {
  const client = useMemo(() => (typeof window === 'undefined' ? serverPlaceholder() : getClient()), []);
  const [user, setUser] = useState<User | null>(initialUser);
  const [status, setStatus] = useState<AuthStatus>(initialUser ? 'restoring' : 'signed-out');
  const pathname = usePathname();
  const userRef = useRef(user);
  useEffect(() => {
    userRef.current = user;
  }, [user]);

  // proxy.ts sends signed-in visitors away from /login and /register. Arriving there by a client
  // navigation with a user still in memory means the server found the session gone (the root
  // layout, header included, survives soft navigations): load the page afresh, signed out.
  useEffect(() => {
    if (userRef.current && isGuestOnlyPath(pathname)) window.location.reload();
  }, [pathname]);

  const ready = useCallback(async () => {
    if (!initialUser && !client.isAuthenticated()) return null; // the server found no session: nothing to restore
    return client.restore();
  }, [client, initialUser]);

  // Restore the access token once per page load when the server says there is a session.
  useEffect(() => {
    if (!initialUser) return;
    let cancelled = false;
    client
      .restore()
      .then(async (restored) => {
        if (cancelled) return;
        if (restored) {
          setUser(restored);
          setStatus('signed-in');
          return;
        }
        // The server saw a live session but the refresh cookie is gone: end the session cookie too,
        // or /login would send us straight back here.
        await client.logout().catch(() => undefined);
        if (isProtectedPath(window.location.pathname)) goToLogin();
        else {
          setUser(null);
          setStatus('signed-out');
        }
      })
      .catch(() => {
        // Offline or API down: keep what the server rendered; the next call will retry.
        if (!cancelled) setStatus('signed-in');
      });
    return () => {
      cancelled = true;
    };
  }, [client, initialUser]);

  // The session ended behind our back (revoked, expired, signed out in another tab).
  useEffect(
    () =>
      client.onSessionEnd(() => {
        if (isProtectedPath(window.location.pathname)) goToLogin();
        else {
          setUser(null);
          setStatus('signed-out');
        }
      }),
    [client],
  );

  // A page restored from the back/forward cache did not ask the server: ask now.
  useEffect(() => {
    const onPageShow = (event: PageTransitionEvent) => {
      if (!event.persisted) return;
      void fetch('/api/auth/session', { credentials: 'same-origin', cache: 'no-store' })
        .then(async (res) => {
          const live = res.ok ? ((await res.json()) as { user?: { id?: string } }).user?.id : undefined;
          if (live === user?.id) return;
          if (!live && isProtectedPath(window.location.pathname)) goToLogin();
          else window.location.reload();
        })
        .catch(() => undefined);
    };
    window.addEventListener('pageshow', onPageShow);
    return () => window.removeEventListener('pageshow', onPageShow);
  }, [user]);

  const value = useMemo<AuthContextValue>(
    () => ({
      client,
      user,
      status,
      ready,
      signedIn(next) {
        setUser(next);
        setStatus('signed-in');
      },
      userChanged(next) {
        setUser(next);
      },
      async signOut() {
        await client.logout();
        window.location.assign('/login');
      },
      async signOutEverywhere() {
        await client.logoutAll();
        window.location.assign('/login');
      },
    }),
    [client, user, status, ready],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/** The SDK client, the current user and sign-out, for client components under the root layout. */
export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

/** Server rendering never calls the API through this client; any attempt is a bug. */
function serverPlaceholder(): AuthClient {
  return new Proxy({} as AuthClient, {
    get(_target, prop) {
      if (prop === 'isAuthenticated') return () => false;
      if (prop === 'getUser' || prop === 'getAccessToken') return () => null;
      return () => {
        throw new Error(`AuthClient.${String(prop)} called during server rendering`);
      };
    },
  });
}
