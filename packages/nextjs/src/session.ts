// Who is signed in, asked of the API. Framework-free (no `next` import), so it runs anywhere.
//
// The browser holds `portcullis_session` (HttpOnly), a session id signed by the API; only the API
// can check it. We send that one cookie to `GET /api/auth/session`, which answers
// `200 { user, session }` for a live session and 401 otherwise. It returns no token and rotates
// nothing, so a page render never touches the refresh token.
import { ROLES, type Role, type User } from '@portcullis/sdk';

/** The contract's session cookie name. */
export const SESSION_COOKIE = 'portcullis_session';

export interface PortcullisSession {
  user: User;
  /** ISO time at which the session ends unless refreshed. */
  expiresAt: string;
  /** How the session was signed in (`pwd`, `fed`, `otp`, `mfa`); empty when the API does not say. */
  amr: string[];
}

export type SessionCheck =
  | { kind: 'signed-in'; session: PortcullisSession }
  | { kind: 'signed-out' }
  /** The API did not answer (down, 5xx, timeout): neither yes nor no. */
  | { kind: 'unavailable' };

export interface SessionOptions {
  /** Origin of the API as this server reaches it. Default: env PORTCULLIS_API_URL, else API_URL, else http://127.0.0.1:4000. */
  apiUrl?: string;
  /** Default 5000. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function apiUrlOf(options: SessionOptions = {}): string {
  return (options.apiUrl ?? process.env.PORTCULLIS_API_URL ?? process.env.API_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');
}

/** Asks the API whether this session cookie value belongs to a live session. */
export async function checkSession(sessionCookie: string | undefined, options: SessionOptions = {}): Promise<SessionCheck> {
  if (!sessionCookie) return { kind: 'signed-out' };
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(`${apiUrlOf(options)}/api/auth/session`, {
      // Only the session cookie: the API needs nothing else, so it gets nothing else.
      headers: { cookie: `${SESSION_COOKIE}=${sessionCookie}`, accept: 'application/json' },
      cache: 'no-store',
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    });
  } catch {
    return { kind: 'unavailable' };
  }
  if (res.status === 401) return { kind: 'signed-out' };
  if (!res.ok) return { kind: 'unavailable' };
  const body = (await res.json().catch(() => null)) as { user?: unknown; session?: { expiresAt?: unknown; amr?: unknown } } | null;
  const user = parseUser(body?.user);
  if (!user) return { kind: 'unavailable' };
  const amr = Array.isArray(body?.session?.amr) ? body.session.amr.filter((v): v is string => typeof v === 'string') : [];
  return { kind: 'signed-in', session: { user, expiresAt: String(body?.session?.expiresAt ?? ''), amr } };
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);

/** One check per field of the contract's User; typed by User, so a new field fails compilation here. */
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
