// How the web app's server learns who is signed in, shared by proxy.ts and server components.
//
// The browser holds `portcullis_session` (HttpOnly, SameSite=Lax, Path=/), a session id signed by
// the API. Only the API can check it: we send that one cookie to `GET /api/auth/session`, which
// answers `200 { user, session }` for a live session and 401 otherwise. It returns no token and
// rotates nothing, so a page load never touches the refresh token.
import { ROLES, type Role } from '@portcullis/contract/access';
import type { User } from '@portcullis/sdk';
import { hasPermission } from '@portcullis/sdk/permissions';
import { isSessionEndReason, SESSION_ENDED_HEADER, type SessionEndReason } from './session-end';

export const SESSION_COOKIE = 'portcullis_session';

/**
 * Request header through which proxy.ts hands the checked user to server components, so a page
 * does not ask the API a second time. Every incoming `x-portcullis-*` header is deleted first
 * (server.mjs and proxy.ts both do it): a browser can never supply it.
 */
export const USER_HEADER = 'x-portcullis-user';
export const INTERNAL_HEADER_PREFIX = 'x-portcullis-';
/** Set by proxy.ts to '1' for an admin whose session lacks the second factor ADMIN_REQUIRE_MFA asks for, else '0'. */
export const ADMIN_MFA_MISSING_HEADER = 'x-portcullis-admin-mfa-missing';
/** Value of USER_HEADER when proxy.ts checked and found no live session. */
export const SIGNED_OUT = '-';

export type SessionState =
  /** `amr`: how the session was signed in ('mfa' with two factors); `adminRequiresMfa`: the API's ADMIN_REQUIRE_MFA. */
  | { kind: 'signed-in'; user: User; expiresAt: string; amr: string[]; adminRequiresMfa: boolean }
  /** `ended`: why the cookie's session ended (the API's X-Session-Ended), for /login?reason=. */
  | { kind: 'signed-out'; ended?: SessionEndReason }
  /** The API did not answer (down, 5xx, timeout): neither yes nor no. */
  | { kind: 'unavailable' };

export function apiUrl(): string {
  return (process.env.API_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');
}

/** Asks the API whether this session cookie belongs to a live session. */
export async function checkSession(sessionCookie: string | undefined): Promise<SessionState> {
  if (!sessionCookie) return { kind: 'signed-out' };
  let res: Response;
  try {
    res = await fetch(`${apiUrl()}/api/auth/session`, {
      // Only the session cookie: the API needs nothing else, so it gets nothing else.
      headers: { cookie: `${SESSION_COOKIE}=${sessionCookie}`, accept: 'application/json' },
      cache: 'no-store',
      signal: AbortSignal.timeout(5_000),
    });
  } catch {
    return { kind: 'unavailable' };
  }
  if (res.status === 401) {
    const ended = res.headers.get(SESSION_ENDED_HEADER);
    return isSessionEndReason(ended) ? { kind: 'signed-out', ended } : { kind: 'signed-out' };
  }
  if (!res.ok) return { kind: 'unavailable' };
  const body = (await res.json().catch(() => null)) as { user?: unknown; session?: { expiresAt?: unknown; amr?: unknown }; adminRequiresMfa?: unknown } | null;
  const user = parseUser(body?.user);
  if (!user) return { kind: 'unavailable' };
  const amr = Array.isArray(body?.session?.amr) ? body.session.amr.filter((v): v is string => typeof v === 'string') : [];
  return { kind: 'signed-in', user, expiresAt: String(body?.session?.expiresAt ?? ''), amr, adminRequiresMfa: body?.adminRequiresMfa === true };
}

/** An admin whose session lacks the second factor that the API's ADMIN_REQUIRE_MFA asks for. */
export function adminMfaMissing(state: SessionState): boolean {
  return state.kind === 'signed-in' && hasPermission(state.user.role, 'manage_users') && state.adminRequiresMfa && !state.amr.includes('mfa');
}

/** base64url(JSON): header values must be ASCII, display names are not. */
export function encodeUserHeader(user: User): string {
  return Buffer.from(JSON.stringify(user), 'utf8').toString('base64url');
}

export function decodeUserHeader(value: string): User | null {
  try {
    return parseUser(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
  } catch {
    return null;
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);

/**
 * One check per field of the contract's User. Typed by User itself, so a field added to (or
 * removed from) the contract fails compilation here until it is checked. (Not the contract's zod
 * schema: the contract's root entry cannot be bundled by Turbopack, whose resolver does not map
 * its `./x.js` imports to `./x.ts`; its plain-data subpaths can.)
 */
const USER_FIELDS = {
  id: isString,
  email: isString,
  displayName: isString,
  role: isRole,
  emailVerified: isBoolean,
  mfaEnabled: isBoolean,
  createdAt: isString,
} satisfies { [K in keyof User]-?: (value: unknown) => value is User[K] };

/** Keeps exactly the contract's `user` fields, checked: nothing else travels to the page. */
function parseUser(value: unknown): User | null {
  if (typeof value !== 'object' || value === null) return null;
  const u = value as Record<string, unknown>;
  const user: Record<string, unknown> = {};
  for (const [field, check] of Object.entries(USER_FIELDS)) {
    if (!check(u[field])) return null;
    user[field] = u[field];
  }
  return user as User;
}
