// How the web app's server learns who is signed in: @portcullis/nextjs's checkSession() asks the
// API about the `portcullis_session` cookie. What is this app's own lives here: proxy.ts hands the
// answer to server components in request headers, so a page does not ask the API a second time.
import { checkSession as check, parseSessionUser, SESSION_COOKIE, type SessionCheck } from '@portcullis/nextjs/session';
import type { User } from '@portcullis/sdk';
import { hasPermission } from '@portcullis/sdk/permissions';

export { SESSION_COOKIE };
export type { SessionCheck };

/**
 * Request header through which proxy.ts hands the checked user to server components. Every
 * incoming `x-portcullis-*` header is deleted first (server.mjs and proxy.ts both do it): a
 * browser can never supply it.
 */
export const USER_HEADER = 'x-portcullis-user';
export const INTERNAL_HEADER_PREFIX = 'x-portcullis-';
/** Set by proxy.ts to '1' for an admin whose session lacks the second factor ADMIN_REQUIRE_MFA asks for, else '0'. */
export const ADMIN_MFA_MISSING_HEADER = 'x-portcullis-admin-mfa-missing';
/** Value of USER_HEADER when proxy.ts checked and found no live session. */
export const SIGNED_OUT = '-';

/** The API's origin as this server reaches it (API_URL, as server.mjs and scripts/start.mjs set it). */
export function apiUrl(): string {
  return (process.env.API_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');
}

/**
 * How long a page waits for the API's answer before showing the "try again" page (503):
 * SESSION_CHECK_TIMEOUT_MS, default 5 s. The e2e suite raises it, since a machine busy with other
 * suites can take longer than that without anything being wrong.
 */
export function sessionCheckTimeoutMs(): number {
  const configured = Number(process.env.SESSION_CHECK_TIMEOUT_MS);
  return Number.isFinite(configured) && configured > 0 ? configured : 5_000;
}

/** @portcullis/nextjs's session check against this app's API_URL. */
export function checkSession(sessionCookie: string | undefined): Promise<SessionCheck> {
  return check(sessionCookie, { apiUrl: apiUrl(), timeoutMs: sessionCheckTimeoutMs() });
}

/** An admin whose session lacks the second factor that the API's ADMIN_REQUIRE_MFA asks for. */
export function adminMfaMissing(state: SessionCheck | null): boolean {
  if (state?.kind !== 'signed-in') return false;
  const { user, adminRequiresMfa, amr } = state.session;
  return hasPermission(user.role, 'manage_users') && adminRequiresMfa && !amr.includes('mfa');
}

/** base64url(JSON): header values must be ASCII, display names are not. */
export function encodeUserHeader(user: User): string {
  return Buffer.from(JSON.stringify(user), 'utf8').toString('base64url');
}

/** The user from USER_HEADER, checked field by field like the API's answer. */
export function decodeUserHeader(value: string): User | null {
  try {
    return parseSessionUser(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
  } catch {
    return null;
  }
}
