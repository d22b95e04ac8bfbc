'use client';
// The browser side of the session, built on @portcullis/react's <AuthProvider> (one SDK client
// per page, the silent refresh, cross-tab sign-out, sign-out). What is this app's own: where an
// ended session sends the person (/login?reason=…), soft navigations onto guest-only pages and
// the back/forward cache.
//
// The server decides what a page shows (proxy.ts + getSessionUser) and passes the user in as
// `initialUser`; the provider then restores an access token (one silent refresh) so client
// components can call the API. The token stays in the SDK's memory: never in storage.
import { isSessionEndReason, SESSION_ENDED_HEADER } from '@portcullis/nextjs/session';
import { AuthProvider as PortcullisProvider, useSession } from '@portcullis/react';
import { createAuthClient, type AuthClient, type User } from '@portcullis/sdk';
import { usePathname } from 'next/navigation';
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { loginUrlFor } from '@/lib/redirect';
import { isGuestOnlyPath, isProtectedPath } from '@/lib/routes';

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

let sharedClient: AuthClient | undefined;
/** Why the session ended, as the API said on a refresh it refused (before it cleared the cookies). */
let endedReason: string | null = null;
/** One client per page (not per render, not per Strict Mode remount): it owns timers and the tab channel. */
function getClient(): AuthClient {
  sharedClient ??= createAuthClient({
    baseUrl: '', // same origin: server.mjs proxies /api
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      if (res.status === 401) endedReason = res.headers.get(SESSION_ENDED_HEADER);
      return res;
    },
  });
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
  // A refused refresh already said why (and cleared the cookies, so asking now would learn nothing).
  const known = endedReason ? Promise.resolve(endedReason) : askWhySessionEnded();
  void known.then((ended) => window.location.replace(loginUrlFor(path, isSessionEndReason(ended) ? ended : undefined)));
}

function askWhySessionEnded(): Promise<string | null> {
  return fetch('/api/auth/session', { credentials: 'same-origin', cache: 'no-store' })
    .then((res) => (res.status === 401 ? res.headers.get(SESSION_ENDED_HEADER) : null))
    .catch(() => null);
}

/** On a protected page an ended session leaves for sign-in; elsewhere the page shows signed out. */
function onSessionEnd(): boolean {
  if (!isProtectedPath(window.location.pathname)) return false;
  goToLogin();
  return true;
}

export function AuthProvider({ initialUser, children }: { initialUser: User | null; children: ReactNode }) {
  const client = useMemo(() => (typeof window === 'undefined' ? serverPlaceholder() : getClient()), []);
  return (
    <PortcullisProvider client={client} initialUser={initialUser} onSessionEnd={onSessionEnd} afterSignOutUrl="/login">
      <PageLifecycle />
      {children}
    </PortcullisProvider>
  );
}

/** What a Next.js page load does not cover on its own: soft navigations and the back/forward cache. */
function PageLifecycle() {
  const { user } = useSession();
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
  return null;
}

/**
 * This app's view of @portcullis/react's useSession(): a client that is never null (a placeholder
 * while server rendering) and the 'restoring' state the invitation page waits out.
 */
export function useAuth(): AuthContextValue {
  const session = useSession();
  const { client, user, status, isRestoring, ready, setUser, signOut, signOutEverywhere } = session;
  return useMemo<AuthContextValue>(
    () => ({
      client: client ?? serverPlaceholder(),
      user,
      status: isRestoring && user ? 'restoring' : status === 'signed-in' ? 'signed-in' : 'signed-out',
      ready,
      signedIn: setUser,
      userChanged: setUser,
      signOut,
      signOutEverywhere,
    }),
    [client, user, status, isRestoring, ready, setUser, signOut, signOutEverywhere],
  );
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
