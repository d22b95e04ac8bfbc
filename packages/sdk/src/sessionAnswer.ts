// The answer of GET /api/auth/session, read by a web server that checks a browser's session
// cookie (the web app's server, @portcullis/nextjs). Written once here, so the two cannot drift.
//
// No zod: this runs in Next's proxy and server bundles, which take only the contract's plain-data
// entries. Each User field has a check typed by User, so a field added to (or removed from) the
// contract fails compilation here until it is checked.
import { ROLES, type Role } from '@portcullis/contract/access';
import { COOKIE_NAMES } from '@portcullis/contract/cookies';
import type { User } from '#sdk/types';

/** The cookie a web server sends to GET /api/auth/session (HttpOnly: the browser's scripts never see it). */
export const SESSION_COOKIE = COOKIE_NAMES.session;

export interface SessionAnswer {
  user: User;
  /** ISO time at which the session ends unless refreshed; '' when the API does not say. */
  expiresAt: string;
  /** How the session was signed in (`pwd`, `fed`, `otp`, `mfa`, …); empty when the API does not say. */
  amr: string[];
  /** The API's ADMIN_REQUIRE_MFA. */
  adminRequiresMfa: boolean;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);

const USER_FIELDS = {
  id: isString,
  email: isString,
  displayName: isString,
  role: isRole,
  emailVerified: isBoolean,
  mfaEnabled: isBoolean,
  createdAt: isString,
} satisfies { [K in keyof User]-?: (value: unknown) => value is User[K] };

/** Keeps exactly the contract's `user` fields, checked: nothing else travels on. Null for anything else. */
export function parseUser(value: unknown): User | null {
  if (typeof value !== 'object' || value === null) return null;
  const u = value as Record<string, unknown>;
  const user: Record<string, unknown> = {};
  for (const [field, check] of Object.entries(USER_FIELDS)) {
    if (!check(u[field])) return null;
    user[field] = u[field];
  }
  return user as User;
}

/** The 200 body of GET /api/auth/session; null when it carries no valid user. */
export function parseSessionAnswer(body: unknown): SessionAnswer | null {
  const b = (typeof body === 'object' && body !== null ? body : {}) as {
    user?: unknown;
    session?: { expiresAt?: unknown; amr?: unknown };
    adminRequiresMfa?: unknown;
  };
  const user = parseUser(b.user);
  if (!user) return null;
  const amr = Array.isArray(b.session?.amr) ? b.session.amr.filter(isString) : [];
  return { user, expiresAt: String(b.session?.expiresAt ?? ''), amr, adminRequiresMfa: b.adminRequiresMfa === true };
}
